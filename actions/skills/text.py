"""Text helpers shared by the skill detectors: one cached spaCy pipeline, sentences, lemmas, content words."""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language

# Chat messages often lack punctuation, so besides spaCy's sentencizer we also cut on newlines and
# after "?" / "!" / "." followed by a space, which is what a trainee typing fast still produces.
_SENTENCE_CUT = re.compile(r"(?<=[?!.])\s+|\n+")

# Words a customer-service reflection may swap for the customer's own; each maps to one canonical key
# so that "billed" echoes "charged" and "money back" echoes "refund".
SYNONYMS: dict[str, str] = {
    "charge": "charge",
    "bill": "charge",
    "debit": "charge",
    "take": "charge",
    "refund": "refund",
    "reimburse": "refund",
    "repay": "refund",
    "broken": "broken",
    "break": "broken",
    "faulty": "broken",
    "damage": "broken",
    "damaged": "broken",
    "defective": "broken",
    "fault": "broken",
    "late": "late",
    "delay": "late",
    "delayed": "late",
    "overdue": "late",
    "angry": "upset",
    "upset": "upset",
    "annoy": "upset",
    "annoyed": "upset",
    "frustrate": "upset",
    "frustrated": "upset",
    "furious": "upset",
    "mad": "upset",
    "fed": "upset",
    "worry": "worry",
    "worried": "worry",
    "concern": "worry",
    "concerned": "worry",
    "anxious": "worry",
    "nervous": "worry",
    "scared": "worry",
    "afraid": "worry",
    "parcel": "parcel",
    "package": "parcel",
    "delivery": "parcel",
    "order": "parcel",
    "money": "money",
    "cash": "money",
    "fund": "money",
    "internet": "internet",
    "broadband": "internet",
    "wifi": "internet",
    "connection": "internet",
    "phone": "phone",
    "mobile": "phone",
    "call": "phone",
    "ring": "phone",
    "cancel": "cancel",
    "terminate": "cancel",
    "stop": "cancel",
    "tired": "tired",
    "exhausted": "tired",
    "sleepy": "tired",
    "drowsy": "tired",
    "happy": "happy",
    "glad": "happy",
    "pleased": "happy",
    "sad": "sad",
    "unhappy": "sad",
    "down": "sad",
    "depressed": "sad",
    "wrong": "wrong",
    "incorrect": "wrong",
    "mistake": "wrong",
    "error": "wrong",
    "fix": "fix",
    "repair": "fix",
    "sort": "fix",
    "resolve": "fix",
    "twice": "twice",
    "double": "twice",
    "wait": "wait",
    "waiting": "wait",
    "hold": "wait",
    "help": "help",
    "support": "help",
    "assist": "help",
    "want": "want",
    "wish": "want",
    "like": "want",
    "difficult": "hard",
    "hard": "hard",
    "tough": "hard",
    "struggle": "hard",
    "drink": "drink",
    "alcohol": "drink",
    "drinking": "drink",
    "smoke": "smoke",
    "cigarette": "smoke",
    "smoking": "smoke",
}
# Multi-word customer-service phrases collapsed to a key before single-word matching.
PHRASES: dict[str, str] = {
    "money back": "refund",
    "not working": "broken",
    "doesn't work": "broken",
    "does not work": "broken",
    "stopped working": "broken",
    "won't work": "broken",
    "call back": "phone",
    "ring back": "phone",
    "phone back": "phone",
    "taken out": "charge",
    "fed up": "upset",
    "not happy": "upset",
    "cut off": "cancel",
    "on hold": "wait",
}

_STOPWORDS_TEXT = """
a an the and or but if so then than that this these those there here of to in on at by for with from
about as into over after before under again further once i me my mine myself we us our ours you your
yours yourself he him his she her hers it its they them their what which who whom whose when where
why how all any both each few more most other some such no nor not only own same too very s t can
will just do does did done be is am are was were been being have has had having would could should
shall may might must ok okay yeah yes oh um uh hmm mm well really just like kind sort thing things
get got go going gonna want wanna know think say said tell mean right now also lot bit much
something anything everything someone anyone one way even still back up out n't 's 're 've 'll 'd 'm
let make feel seem sound hear understand see look maybe quite pretty
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

_NUMBER_WORDS_TEXT = """
two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
thousand twice
"""
NUMBER_WORDS: frozenset[str] = frozenset(_NUMBER_WORDS_TEXT.split())
_DAYS_MONTHS_TEXT = """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december yesterday today tomorrow weekend
"""
DAYS_MONTHS: frozenset[str] = frozenset(_DAYS_MONTHS_TEXT.split())


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


def split_sentences(text: str) -> list[str]:
    """Sentences of a chat message, keeping each one's end punctuation."""
    parts: list[str] = []
    for chunk in _SENTENCE_CUT.split(normalise(text)):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts.extend(s.text.strip() for s in nlp()(chunk).sents if s.text.strip())
    return parts


@lru_cache(maxsize=4096)
def lemmas(text: str) -> tuple[str, ...]:
    """Lower-case lemmas of the words (punctuation dropped)."""
    return tuple(
        (t.lemma_ or t.text).lower() for t in nlp()(normalise(text)) if not (t.is_punct or t.is_space)
    )


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept ("don't" -> "don't")."""
    return re.findall(r"[a-z0-9£$€%']+", normalise(text).lower())


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Canonical content lemmas: stopwords dropped, synonyms and stock phrases merged."""
    lowered = normalise(text).lower()
    keys: set[str] = set()
    for phrase, key in PHRASES.items():
        if phrase in lowered:
            keys.add(key)
            lowered = lowered.replace(phrase, " ")
    for lemma in lemmas(lowered):
        lemma = lemma.strip("'")
        if len(lemma) < 2 or lemma in STOPWORDS:
            continue
        keys.add(SYNONYMS.get(lemma, lemma))
    return frozenset(keys)


def facts(text: str) -> set[str]:
    """Checkable specifics (numbers, amounts, days, months, capitalised names) a reflection could invent."""
    norm = normalise(text)
    found: set[str] = set(re.findall(r"[£$€]?\d+(?:[.,]\d+)?%?", norm))
    for word in words(norm):
        if word in NUMBER_WORDS or word in DAYS_MONTHS:
            found.add(word)
    # A capitalised word not at a sentence start is probably a product, place or person.
    for sentence in re.split(r"(?<=[.?!])\s+", norm):
        tokens = sentence.split()
        for token in tokens[1:]:
            bare = token.strip(".,!?;:'\"()")
            if (
                len(bare) > 1
                and bare[0].isupper()
                and bare.lower() not in {"i", "i'm", "i've", "i'll", "i'd"}
            ):
                found.add(bare.lower())
    return found
