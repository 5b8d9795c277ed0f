"""Text helpers shared by the detectors: one spaCy pipeline, sentences, content words, facts.

The word lists live in `extramile.detectors.lexicon`; this module holds only the code that uses them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language

from extramile.detectors.lexicon.synonyms import PHRASES, SYNONYMS
from extramile.detectors.lexicon.words import (
    CURRENCY_WORDS,
    DAYS_MONTHS,
    NOT_NAMES,
    NUMBER_WORDS,
    STOPWORDS,
    TEENS,
    TENS,
    UNITS,
)

# Chat messages often lack punctuation, so besides spaCy's sentencizer we also cut on newlines and
# after "?" / "!" / "." followed by a space, which is what a trainee typing fast still produces.
_SENTENCE_CUT = re.compile(r"(?<=[?!.])\s+|\n+")

_UNITS = "|".join(UNITS)
_TEENS = "|".join(TEENS)
_TENS = "|".join(TENS)
_NUMBER_VALUES: dict[str, int] = {
    "one": 1,
    **{word: n for n, word in enumerate(UNITS, start=2)},
    **{word: n for n, word in enumerate(TEENS, start=10)},
    **{word: 10 * n for n, word in enumerate(TENS, start=2)},
}
# One to ninety-nine. A lone "one" stays a word ("no one", "the other one"); inside a bigger number
# ("twenty-one", "one hundred") it counts.
_BELOW_100 = rf"(?:(?:{_TENS})(?:[- ](?:one|{_UNITS}))?|{_TEENS}|{_UNITS})"
_HUNDREDS = rf"(?:(?:one|{_UNITS}|a)\s+hundred(?:\s+(?:and\s+)?(?:{_BELOW_100}|one))?)"
_NUMBER_SPAN = re.compile(
    rf"\b(?:(?:{_HUNDREDS}|{_BELOW_100}|one|a)\s+thousand(?:\s+(?:and\s+)?(?:{_HUNDREDS}|{_BELOW_100}|one))?"
    rf"|{_HUNDREDS}|{_BELOW_100})\b",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s*(pounds?|quid|dollars?|bucks|euros?)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"([£$€]?)\s?(\d+(?:,\d{3})*(?:\.\d+)?)(%?)")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The one pipeline every detector shares: blank English, lookup lemmas, rule sentencizer."""
    pipeline = spacy.blank("en")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.add_pipe("sentencizer")
    pipeline.initialize()
    return pipeline


def normalise(text: str) -> str:
    """Curly quotes and dashes to plain ones, so patterns need only one spelling."""
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2014", " - ")
        .replace("\u2013", " - ")
    )


# The detectors read each customer message again for every agent message after it: the pure
# text functions below remember their answers so a long session is not re-parsed quadratically.
TEXT_CACHE_SIZE = 16_384


def split_sentences(text: str) -> list[str]:
    """Sentences of a chat message, keeping each one's end punctuation."""
    return list(_sentences(text))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _sentences(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for chunk in _SENTENCE_CUT.split(normalise(text)):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts.extend(s.text.strip() for s in nlp()(chunk).sents if s.text.strip())
    return tuple(parts)


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept ("don't" -> "don't")."""
    return re.findall(r"[a-z0-9£$€%']+", normalise(text).lower())


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def content_words(text: str) -> frozenset[str]:
    """Canonical content lemmas: stopwords dropped, synonyms and stock phrases merged."""
    lowered = digits(normalise(text)).lower()
    keys: set[str] = set()
    for phrase, key in PHRASES.items():
        if phrase in lowered:
            keys.add(key)
            lowered = lowered.replace(phrase, " ")
    for token in nlp()(lowered):
        surface = token.text.strip("'")
        lemma = (token.lemma_ or token.text).lower().strip("'")
        # Check the word as typed as well as its lemma: the lookup table turns "bit" into "bite" and
        # splits "gonna" into "gon" + "na", neither of which is something a customer said.
        too_short = len(lemma) < 2 and not lemma.isdigit()
        if too_short or token.is_punct or surface in STOPWORDS or lemma in STOPWORDS:
            continue
        keys.add(SYNONYMS.get(lemma, lemma))
    return frozenset(keys)


def digits(text: str) -> str:
    """Number words as digits ("thirty-two" -> "32", "a hundred" -> "100"), so both spellings compare."""
    return _NUMBER_SPAN.sub(lambda match: str(_number_value(match.group(0))), text)


def _number_value(span: str) -> int:
    total, current = 0, 0
    for word in re.findall(r"[a-z]+", span.lower()):
        if word in _NUMBER_VALUES:
            current += _NUMBER_VALUES[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
    return total + current


def _amount(symbol: str, number: str, percent: str) -> str:
    # "£2,300.00" and "2300" are one amount: drop thousands commas and a zero fraction.
    number = number.replace(",", "")
    if re.fullmatch(r"\d+\.0+", number):
        number = number.split(".")[0]
    return f"{symbol}{number}{percent}"


def _money_words_to_symbols(text: str) -> str:
    # "32 pounds" -> "£32", so it meets the customer's "£32".
    def swap(match: re.Match[str]) -> str:
        unit = match.group(2).lower().rstrip("s")
        return CURRENCY_WORDS[unit] + match.group(1)

    text = re.sub(r"\s*\bper ?cent\b", "%", text, flags=re.IGNORECASE)
    return _MONEY_AFTER.sub(swap, text)


def fact_key(fact: str) -> str:
    """What two facts must share to be the same fact: "£32" matches a bare "32"."""
    return fact.lstrip("£$€")


def _norm_figures(text: str) -> str:
    norm = _money_words_to_symbols(digits(normalise(text)))
    return re.sub(r"\b((2|two) times|twice)\b", "2 times", norm, flags=re.IGNORECASE)


def figures(text: str) -> set[str]:
    """The numbers, amounts, days and months in a text, each in one canonical spelling: the
    details a paraphrase can get wrong ("£32" for "£23", "Monday" for "Tuesday")."""
    return set(_figures(text))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _figures(text: str) -> frozenset[str]:
    norm = _norm_figures(text)
    found: set[str] = {_amount(*parts) for parts in _AMOUNT.findall(norm)}
    for word in words(norm):
        if word in NUMBER_WORDS or word in DAYS_MONTHS:
            found.add(word)
    return frozenset(found)


def facts(text: str) -> set[str]:
    """Checkable specifics (numbers, amounts, days, months, capitalised names) a reflection could invent.

    Numbers come back in one canonical spelling ("thirty-two pounds" and "£32.00" are both "£32").
    """
    return set(_facts(text))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _facts(text: str) -> frozenset[str]:
    norm = _norm_figures(text)
    found = figures(text)
    # A capitalised word not at a sentence start is probably a product, place or person.
    for sentence in re.split(r"(?<=[.?!])\s+", norm):
        tokens = sentence.split()
        for token in tokens[1:]:
            bare = token.strip(".,!?;:'\"()").removesuffix("'s")
            if len(bare) > 1 and bare[0].isupper() and bare.lower() not in NOT_NAMES:
                found.add(bare.lower())
    return frozenset(found)


def forget_text_caches() -> None:
    """Forget every remembered parse (for timing cold scoring)."""
    for cached in (_sentences, content_words, _figures, _facts):
        cached.cache_clear()
