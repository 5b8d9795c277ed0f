"""Arguing: contradicting, blaming, dismissing, lecturing, sarcasm."""

import pytest

from extramile.detectors.arguing import detect_argue


@pytest.fixture(scope="module")
def argue(labeller):
    """The detector with the trained model's probability for each text."""
    return lambda text: detect_argue(text, labeller.models.argue_probabilities([text])[0])


@pytest.mark.parametrize(
    "text",
    [
        "That's not what happened.",
        "No, you weren't charged twice.",
        "You must have entered it wrong.",
        "You should have read the terms.",
        "There's nothing I can do.",
        "That's just how it is.",
        "It's our policy.",
        "Calm down please.",
        "As I already said, the engineer came.",
        "Like I said, it's been sent.",
        "Oh great, another password reset.",
    ],
)
def test_arguing_is_found(argue, text: str) -> None:
    assert argue(text).label == "argue"


@pytest.mark.parametrize(
    "text",
    ["I'm sorry you were charged twice.", "Let me see what I can do.", "What happened next?"],
)
def test_ordinary_messages_do_not_argue(argue, text: str) -> None:
    assert argue(text).label == "none"


def test_blame_with_any_verb_but_not_empathy(argue) -> None:
    assert argue("You must have unplugged the router.").label == "argue"
    assert argue("You must have been so worried.").label == "none"


def test_the_kind_of_arguing_is_explained() -> None:
    # Set phrases name the kind; the scorecard shows this explanation, not a generic one.
    assert "blames the customer" in detect_argue("You should have read the terms.", 0.0).explanation
    assert "lectures" in detect_argue("Calm down please.", 0.0).explanation
    assert detect_argue("With respect, you agreed.", 0.9).explanation.startswith("This reads as arguing")


def test_batched_probabilities_equal_one_at_a_time(labeller):
    models = labeller.models
    texts = [
        "As I said, it's our policy.",
        "What happened next?",
        "With respect, you agreed to the terms.",
        "What happened next?",
    ]
    models.forget()
    batched = models.argue_probabilities(texts)
    models.forget()
    assert batched == [models.argue_probabilities([text])[0] for text in texts]
    assert batched[1] == batched[3]
