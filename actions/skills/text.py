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
    "feeling down": "sad",
    "feel down": "sad",
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
re ve ll nt gon na ta dunno kinda sorta gotta because cause yep nope mhm hey thank thanks please sure
little probably actually basically guess suppose
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

# Number words that stay words once the others are turned into digits: "twice" is a fact of its own.
NUMBER_WORDS: frozenset[str] = frozenset({"twice", "hundred", "thousand", "dozen"})
_UNITS = "two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER_VALUES: dict[str, int] = {
    "one": 1,
    **{word: n for n, word in enumerate(_UNITS.split("|"), start=2)},
    **{word: n for n, word in enumerate(_TEENS.split("|"), start=10)},
    **{word: 10 * n for n, word in enumerate(_TENS.split("|"), start=2)},
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
_CURRENCY_WORDS: dict[str, str] = {"pound": "£", "quid": "£", "dollar": "$", "buck": "$", "euro": "€"}
_AMOUNT = re.compile(r"([£$€]?)\s?(\d+(?:,\d{3})*(?:\.\d+)?)(%?)")
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


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept ("don't" -> "don't")."""
    return re.findall(r"[a-z0-9£$€%']+", normalise(text).lower())


@lru_cache(maxsize=4096)
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
        return _CURRENCY_WORDS[unit] + match.group(1)

    text = re.sub(r"\s*\bper ?cent\b", "%", text, flags=re.IGNORECASE)
    return _MONEY_AFTER.sub(swap, text)


def fact_key(fact: str) -> str:
    """What two facts must share to be the same fact: "£32" matches a bare "32"."""
    return fact.lstrip("£$€")


def facts(text: str) -> set[str]:
    """Checkable specifics (numbers, amounts, days, months, capitalised names) a reflection could invent.

    Numbers come back in one canonical spelling ("thirty-two pounds" and "£32.00" are both "£32").
    """
    norm = _money_words_to_symbols(digits(normalise(text)))
    found: set[str] = {_amount(*parts) for parts in _AMOUNT.findall(norm)}
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
