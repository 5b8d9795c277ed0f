"""The detectors' trained models: trained from the project's data, stored, reloaded the same."""

import pytest

from extramile.detectors import ContextMessage
from extramile.detectors.models import ClassifierError, DetectorModels, data_hash


@pytest.fixture(scope="module")
def trained(settings):
    return DetectorModels.train(settings.nlu_data, settings.labelled_messages)


def test_the_stored_models_record_their_training_data_and_reload_the_same(settings, trained, tmp_path):
    assert trained.trained_on == data_hash([settings.nlu_data, *settings.labelled_messages])
    trained.save(tmp_path / "detectors.joblib")
    loaded = DetectorModels.load(tmp_path / "detectors.joblib")
    texts = ["With respect, you agreed to the terms.", "What happened next?"]
    assert loaded.argue_probabilities(texts) == trained.argue_probabilities(texts)
    context = [ContextMessage("customer", "My fridge stopped working two days after delivery.")]
    said = "So the fridge packed in just two days after it arrived."
    assert loaded.reflection_probability(said, context) == trained.reflection_probability(said, context)
    assert loaded.trained_on == trained.trained_on


def test_the_same_data_gives_the_same_models(settings, trained):
    again = DetectorModels.train(settings.nlu_data, settings.labelled_messages)
    context = [ContextMessage("customer", "I was charged twice for one order.")]
    assert again.reflection_probability("So you paid twice for one order.", context) == (
        trained.reflection_probability("So you paid twice for one order.", context)
    )
    arguing = ["That's our policy, you should have read the terms.", "I'm sorry, let me fix that."]
    assert again.argue_probabilities(arguing) == trained.argue_probabilities(arguing)


def test_missing_broken_or_outdated_models_say_how_to_make_new_ones(tmp_path, trained):
    with pytest.raises(ClassifierError, match="make train"):
        DetectorModels.load(tmp_path / "nothing.joblib")
    (tmp_path / "broken.joblib").write_bytes(b"not a model")
    with pytest.raises(ClassifierError, match="make train"):
        DetectorModels.load(tmp_path / "broken.joblib")
    older = DetectorModels(trained.argue, trained.reflection, trained.trained_on, features="older")
    older.save(tmp_path / "old.joblib")
    with pytest.raises(ClassifierError, match="other reflection features"):
        DetectorModels.load(tmp_path / "old.joblib")
