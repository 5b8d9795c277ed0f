"""Arguing: contradicting, blaming, dismissing, lecturing, sarcasm."""

import pytest

from actions.skills.argue_model import argue_probabilities, forget_probabilities
from actions.skills.arguing import detect_argue


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
def test_arguing_is_found(text: str) -> None:
    assert detect_argue(text).label == "argue"


@pytest.mark.parametrize(
    "text",
    ["I'm sorry you were charged twice.", "Let me see what I can do.", "What happened next?"],
)
def test_ordinary_messages_do_not_argue(text: str) -> None:
    assert detect_argue(text).label == "none"


def test_blame_with_any_verb_but_not_empathy() -> None:
    assert detect_argue("You must have unplugged the router.").label == "argue"
    assert detect_argue("You must have been so worried.").label == "none"


def test_batched_probabilities_equal_one_at_a_time():
    texts = ["As I said, it's our policy.", "What happened next?", "With respect, you agreed to the terms.",
             "What happened next?"]
    forget_probabilities()
    batched = argue_probabilities(texts)
    forget_probabilities()
    assert batched == [argue_probabilities([text])[0] for text in texts]
    assert batched[1] == batched[3]
