"""What an agent's message is about: which of the customer's facts it asks after, whether it asks
for the customer's details, asks about something they do not know, or makes no sense at all.

Matching uses the detectors' content words, so synonyms count ("charge" finds a fact whose topic
is "bill") and word forms do not matter.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from extramile.detectors.lexicon.words import STOPWORDS
from extramile.detectors.questions import classify
from extramile.detectors.text import content_words, normalise, words
from extramile.personas import Fact

# Content words of a question that ask nothing in particular ("What happened?", "Tell me more").
_GENERIC = content_words(
    "happen happened happening tell more anything else help problem issue wrong going on detail details "
    "explain walk through noticed notice affect affected feel feeling today situation story start "
    "begin sorted sort matter trouble experience mind concern concerns thing things like need want "
    "understand exactly everything whole bit sure hear"
)
# What a customer's details are asked for by: their account, an order or reference, where they live.
_DETAILS = re.compile(
    r"\b(account|order|reference|ref|customer|membership|booking|policy|tracking) (number|no|id|ref)|"
    r"\b(postcode|post code|zip|address|e-?mail address|date of birth|username|phone number|mobile number)\b|"
    r"\b(what|what's|whats|which) (is )?your e-?mail\b",
    re.IGNORECASE,
)
# How common a word must be on the web (spaCy's English log probabilities) to count as a word: a
# cut that keeps place names and chat spellings ("recieved", "lol") and drops keyboard mashing.
_WORD_LOG_PROB = -18.0


def topic_words(topic: str) -> frozenset[str]:
    return content_words(topic)


def _mentions(said: str, topic: str) -> bool:
    """Every word of the topic is in what was said: its content words (or their synonyms), and
    the small words a phrase is made of ("anything else on" needs "else"), as typed."""
    wanted = topic_words(topic)
    small = {t for t in words(topic) if not content_words(t)} - {"the", "a", "an"}
    typed = set(words(said))
    if not wanted and not small:
        return False
    return wanted <= content_words(said) and small <= typed


def question(text: str) -> str:
    """The sentences of a message that ask something ("Hello, I'm Sam. [What have you noticed?]"),
    or the whole message when none does."""
    asking = [sentence for sentence, kind in classify(text)[1] if kind != "none"]
    return " ".join(asking) or text


def asked_fact(text: str, facts: Sequence[Fact]) -> Fact | None:
    """The fact whose topics the question mentions most (every word of a topic phrase), if any."""
    said = question(text)
    best: tuple[int, Fact | None] = (0, None)
    for fact in facts:
        hits = sum(1 for topic in fact.topics if _mentions(said, topic))
        if hits > best[0]:
            best = (hits, fact)
    return best[1]


def mentions(text: str, topic: str) -> bool:
    return _mentions(text, topic)


def is_specific(text: str) -> bool:
    """Whether a question asks after something in particular, not just "what happened?"."""
    return bool(content_words(question(text)) - _GENERIC)


def asks_for_details(text: str) -> bool:
    """Whether it asks for an identifier: an account or order number, a postcode, an email."""
    return bool(_DETAILS.search(normalise(question(text))))


@cache
def english_words() -> frozenset[str]:
    """The words an English speaker types, from spacy-lookups-data: loaded once per process."""
    table = files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(str(table), "rt", encoding="utf-8") as handle:
        probabilities: dict[str, float] = json.load(handle)
    return frozenset(w for w, p in probabilities.items() if p > _WORD_LOG_PROB and w.isalpha())


def is_unclear(text: str) -> bool:
    """A message no one could make sense of: no letters, or mostly strings that are not words
    (keyboard mashing, a line of one letter)."""
    tokens = words(text)
    if not tokens:
        return True
    vocabulary = english_words()

    def wordlike(token: str) -> bool:
        bare = token.strip("'").lower()
        if bare in STOPWORDS or any(c.isdigit() for c in bare):
            return True
        return len(set(bare)) > 1 and (bare in vocabulary or not bare.isalpha())

    return sum(map(wordlike, tokens)) < 0.5 * len(tokens)
