"""Open / closed / none questions, including questions without "?" and polite requests."""

import pytest

from extramile.detectors.questions import classify, detect_question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell me what happened", "open"),
        ("Could you tell me more about what happened?", "open"),
        ("What happened when you tried to pay?", "open"),
        ("How has this affected you?", "open"),
        ("Why do you think the engineer didn't turn up?", "open"),
        ("What would you like us to do?", "open"),
        ("Walk me through what you saw on the screen", "open"),
        ("did you try the reset", "closed"),
        ("You were charged twice?", "closed"),
        ("Can you confirm your postcode?", "closed"),
        ("What's your account number?", "closed"),
        ("When did you order?", "closed"),
        ("Which card?", "closed"),
        ("The box arrived on Tuesday, didn't it?", "closed"),
        ("Sorry, could you repeat that?", "closed"),
        ("I'll refund the delivery fee today.", "none"),
        ("Thanks for waiting.", "none"),
    ],
)
def test_message_type(text: str, expected: str) -> None:
    assert classify(text)[0] == expected


def test_open_wins_over_closed_in_a_longer_message() -> None:
    overall, typed = classify("I see. Is the router plugged in? What have you tried so far?")
    assert overall == "open"
    assert [kind for _, kind in typed] == ["none", "closed", "open"]


def test_detection_quotes_the_deciding_sentence() -> None:
    result = detect_question("Thanks for that. How did the fault start?")
    assert result.label == "open"
    assert result.quote == "How did the fault start?"
    assert result.explanation
