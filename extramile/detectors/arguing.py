"""Arguing with the customer: contradicting, blaming, dismissing, lecturing, sarcasm."""

from __future__ import annotations

import re

from extramile.detectors.detection import Detection
from extramile.detectors.text import normalise

THRESHOLD = 0.5  # the arguing model's own decision boundary; not tuned on any test set

# Each pattern names the kind of arguing so the scorecard can say what went wrong.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "contradicting",
        re.compile(
            # At the start, disputing what the customer said; "...went out twice - that's not
            # right, I'm sorry" later in a message sides with them.
            r"^\W*(no,? )?that'?s not (what happened|true|right|correct|the case)|"
            r"that is not (what happened|true|the case)|"
            r"^no,? you (weren't|were not|didn't|did not|haven't|have not|aren't|are not)|"
            r"you('re| are) (wrong|mistaken|confused)|that never happened|you weren't charged twice|"
            r"that'?s (simply|just) (not|wrong|untrue)|you clearly (did|didn't)|that'?s impossible"
        ),
    ),
    (
        "blaming",
        re.compile(
            r"you (must|might|may) have (?!been|felt|had|found|thought)\w+ (it|the|your|them|that|this)\b|"
            # "You should have read the terms" blames; "you should have been told" and "you shouldn't have
            # to chase us" side with the customer.
            r"you must have (entered|typed|got|misread|not)|you should (have|'ve) (?!been\b)|"
            r"you shouldn't have (?!to\b|been\b|had to\b)|"
            r"(it'?s|that'?s|this is) (your|entirely your|all your) (fault|problem|responsibility|mistake)|"
            r"if you had (read|checked|followed|listened)|you didn't (read|follow|check|listen)|"
            r"you obviously|you need to (read|learn|understand|listen)|"
            r"(that|it) was your (choice|mistake|fault)|"
            r"you failed to|user error"
        ),
    ),
    (
        "dismissing",
        re.compile(
            r"nothing (i|we) can do|(that'?s|it'?s|this is) just (how|the way) (it is|things are)|"
            r"(it'?s|that'?s|this is) (our|the|company) policy|not my (problem|fault|job|department)|"
            r"(there'?s|there is) no point|deal with it|take it or leave it|can't help you|"
            r"(that'?s|it'?s) not our (problem|fault|responsibility)|rules are rules|"
            r"nothing more to (say|discuss)"
        ),
    ),
    (
        "lecturing",
        re.compile(
            r"calm down|as i (already|just|have already|'ve already) (said|told|explained|mentioned)|"
            r"like i (said|told you)|i('ve| have) (already )?told you|how many times|"
            r"(if you|you need to|you have to) (would )?(just )?listen|let me finish|you need to understand|"
            r"you have to understand|you should know|everyone knows|it'?s common sense|read the terms|"
            r"there'?s no need to (shout|be rude|get upset)|stop (shouting|being)|lower your voice|watch your"
        ),
    ),
    (
        "sarcasm",
        re.compile(
            r"\boh,? (great|wonderful|brilliant|fantastic|really)\b|\byeah,? right\b|what a surprise|"
            r"\bwell done\b.*\b(you|breaking)|\bclearly you\b|\bobviously you\b|\bgood luck with that\b|"
            r"\bsure you did\b|\bthanks a lot\b"
        ),
    ),
]
_EXPLAIN = {
    "contradicting": "This contradicts the customer instead of exploring what they experienced.",
    "blaming": "This blames the customer, which makes them defensive.",
    "dismissing": "This dismisses the customer's problem instead of looking for what can be done.",
    "lecturing": "This lectures or talks down to the customer.",
    "sarcasm": "This sounds sarcastic, which customers hear as contempt.",
    "model": "This reads as arguing: it contradicts, blames or dismisses the customer instead of "
    "acknowledging their view.",
}


def detect_argue(text: str, model_probability: float) -> Detection:
    """Label 'argue' with the kind and quote, or 'none'.

    Set phrases first (they name the kind of arguing); then `model_probability`, what the
    model trained on the project's own examples gives this text, for arguing in other
    words."""
    lowered = normalise(text).lower().strip()
    for kind, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if match:
            return Detection("argue", text[match.start() : match.end()] or match.group(0), _EXPLAIN[kind])
    if lowered and model_probability >= THRESHOLD:
        return Detection("argue", text.strip(), _EXPLAIN["model"])
    return Detection("none", "", "This message does not argue with the customer.")
