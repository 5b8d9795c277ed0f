"""Which scenario fact a customer's message reveals, for chat logs that do not say.

A live session knows (the customer engine tags the message that reveals a fact); a chat log a
trainer scores from a file does not, so its customer messages are matched against each fact's
description and the lines the persona reveals it with: a message reveals a fact when it shares
one of the fact's specifics (an amount, a date, a name) or most of its content words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extramile.detectors.text import content_words, fact_key, facts

MIN_SHARED_WORDS = 2
MIN_SHARE = 0.4  # of the message's own content words


@dataclass(frozen=True)
class FactWords:
    """A scenario fact as the matcher sees it: its id, specifics and content words."""

    id: str
    specifics: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, fact_id: str, texts: Iterable[str]) -> FactWords:
        said = list(texts)
        specifics = frozenset(fact_key(f) for text in said for f in facts(text))
        words = frozenset().union(*(content_words(text) for text in said))
        return cls(fact_id, specifics, words)


def revealed_fact(text: str, candidates: Sequence[FactWords]) -> str | None:
    """The first candidate fact the message reveals, or None."""
    specifics = {fact_key(f) for f in facts(text)}
    words = content_words(text)
    for fact in candidates:
        if specifics & fact.specifics:
            return fact.id
        shared = words & fact.words
        if len(shared) >= MIN_SHARED_WORDS and len(shared) >= MIN_SHARE * len(words):
            return fact.id
    return None
