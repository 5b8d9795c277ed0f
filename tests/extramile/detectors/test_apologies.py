"""Genuine apologies, non-apologies and the polite "sorry" of a clarifying question."""

import pytest

from extramile.detectors.apologies import detect_apology


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm sorry you were charged twice.", "apology"),
        ("I apologise for the delay with your order.", "apology"),
        ("Oh no, so sorry about that.", "apology"),
        ("My apologies, our mistake.", "apology"),
        ("I'm sorry you feel that way.", "non_apology"),
        ("Sorry if you were upset by the call.", "non_apology"),
        ("Sorry, but that's our policy.", "non_apology"),
        ("We apologise for any inconvenience this may have caused.", "non_apology"),
        ("Sorry, could you repeat that?", "none"),
        ("Sorry, what was the order number?", "none"),
        ("Let me check that for you.", "none"),
    ],
)
def test_apology_label(text: str, expected: str) -> None:
    assert detect_apology(text).label == expected


def test_apology_quotes_its_words() -> None:
    result = detect_apology("Right, I apologise for the delay.")
    assert "apologise" in result.quote.lower()
    assert result.explanation
