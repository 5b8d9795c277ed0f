"""The labeller combines the detectors and keeps their evidence; evaluation scores agree with sklearn."""

from extramile.detectors import ContextMessage
from extramile.detectors.evaluation import score_all, score_field
from extramile.transcript import Message, Transcript, Turn


def test_a_message_gets_all_four_labels_with_their_evidence(labeller) -> None:
    context = [ContextMessage("customer", "My package arrived broken and I want my money back.")]
    labels = labeller.label_message(
        "I'm so sorry your parcel was faulty. What would you like us to do?", context
    )
    assert labels.question_kind == "open"
    assert labels.apology_kind == "apology"
    assert labels.argues is False
    assert set(labels.as_row()) == {"question", "reflection", "apology", "argue"}
    assert labels.question.quote == "What would you like us to do?"
    assert labels.question.explanation and labels.apology.explanation


def test_a_transcripts_reflection_points_at_the_log_position_of_what_it_restates(labeller) -> None:
    messages = (
        Message(10, 0, "customer", "I was charged twice for my broadband this month.", 1.0),
        Message(
            11, 1, "agent", "So you were charged twice for your broadband this month.", 5.0, acts=("reflect",)
        ),
    )
    transcript = Transcript("p", "passive", messages, (Turn(0, "customer", 1.0), Turn(1, "agent", 5.0)))
    labels = labeller.label_transcript(transcript)
    assert set(labels) == {11}
    assert labels[11].reflection.found and labels[11].reflection.restates == 10


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
