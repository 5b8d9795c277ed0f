"""Genuine apology, non-apology (blame-shifting or conditional), or no apology at all."""

from __future__ import annotations

import re

from extramile.detectors.detection import Detection
from extramile.detectors.text import normalise

_APOLOGY = re.compile(
    r"\b(i'm|i am|we're|we are|i'm really|i'm so|so|very|really|truly|terribly|deeply)?\s*"
    r"(sorry|apologi[sz]e|apologies|my bad|forgive)\b"
)
# Sorry that blames the customer's reaction, hedges, or only precedes a refusal.
_NON_APOLOGY = re.compile(
    r"sorry (that |if )?you feel|sorry you('re| are)? (feeling|upset|angry|think)|sorry if |"
    r"sorry,? but\b|sorry you see it|apologi[sz]e,? but|apologi[sz]e for any inconvenience|"
    r"apologi[sz]e if|apologies if|apologies for any|sorry for any inconvenience|"
    r"(any|if) (inconvenience|upset) (this|that|it) (may|might) have|sorry that's how you|"
    r"sorry you were offended|sorry you took"
)
# "Sorry" that only asks to repeat or clarify is politeness, not an apology.
_CLARIFY = re.compile(
    r"sorry,?\s*(could|can|would|will|what|which|who|when|where|how|did|do|was|is|are|i didn't|i missed|"
    r"say that|come again|pardon|one more time)\b|\bsorry\?"
)


def detect_apology(text: str) -> Detection:
    """Label 'apology', 'non_apology' or 'none', quoting the apologetic words."""
    lowered = normalise(text).lower()
    non = _NON_APOLOGY.search(lowered)
    if non:
        return Detection(
            "non_apology",
            non.group(0).strip(),
            "This sounds like an apology but shifts the blame or hedges, so it does not own the problem.",
        )
    for match in _APOLOGY.finditer(lowered):
        after = lowered[match.start() :]
        if match.group(2) == "sorry" and _CLARIFY.match(
            after.lstrip(" ").removeprefix("i'm ").removeprefix("so ")
        ):
            continue
        return Detection(
            "apology",
            text[match.start() : match.end()].strip() or match.group(0).strip(),
            "This is a genuine apology: it owns the problem the customer had.",
        )
    return Detection("none", "", "This message makes no apology.")
