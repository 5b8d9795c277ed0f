"""label_utterance combines the detectors and keeps their evidence; evaluation scores agree with sklearn."""

from actions.skills import ContextMessage, label_utterance
from actions.skills.evaluation import score_all, score_field


def test_label_utterance_combines_all_four() -> None:
    context = [ContextMessage("customer", "My package arrived broken and I want my money back.")]
    labels = label_utterance("I'm so sorry your parcel was faulty. What would you like us to do?", context)
    assert labels.question == "open"
    assert labels.apology == "apology"
    assert labels.argue is False
    assert set(labels.as_row()) == {"question", "reflection", "apology", "argue"}
    assert labels.question_evidence.quote == "What would you like us to do?"


def test_perfect_agreement_scores_one() -> None:
    score = score_field("question", ["open", "closed", "none"], ["open", "closed", "none"])
    assert score.kappa == 1.0
    assert score.macro_f1 == 1.0


def test_score_all_only_scores_fields_the_gold_has() -> None:
    gold = [{"reflection": True}, {"reflection": False}]
    predicted = [{"question": "none", "reflection": True}, {"question": "none", "reflection": True}]
    scores = score_all(gold, predicted)
    assert [s.field for s in scores] == ["reflection"]
    true_class = next(c for c in scores[0].classes if c.label == "true")
    assert true_class.precision == 0.5
    assert true_class.recall == 1.0
