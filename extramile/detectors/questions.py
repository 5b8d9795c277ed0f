"""Open / closed / no question: per sentence, then for the whole message (open wins)."""

from __future__ import annotations

import re
from functools import lru_cache

from extramile.detectors.detection import Detection
from extramile.detectors.lexicon.questions import (
    AUXILIARIES,
    BACKCHANNEL,
    FACT_NOUNS,
    HOW_MUCH,
    LEAD_INS,
    NOISES,
    SUBJECTS,
)
from extramile.detectors.text import TEXT_CACHE_SIZE, normalise, split_sentences, words

_POLITE = re.compile(
    r"^(could|can|would|will) you( please)? (tell|describe|explain|walk|talk|share|help|say)\b"
)
_OPEN_REQUEST = re.compile(
    r"\b(tell me|describe|explain|walk me through|talk me through|take me through|help me understand|"
    r"share)\b(?! (your|the) (name|number|postcode|address|email|date|account|order|reference|card))"
)
_OPEN_REQUEST_START = re.compile(
    r"^(please )?(tell me|describe|explain|walk me through|talk me through|take me through|"
    r"help me understand|let me know|share|say more|go on|fill me in)\b"
)
# "What" questions that ask for one fact: an identifier, a time, a choice from a list.
_WHAT_FACT = re.compile(
    r"^what('s| is| was| are| were)? (is |was )?(your|the|that|this|his|her|their|my)?\s*"
    rf"(\w+ )?({'|'.join(FACT_NOUNS)})\b"
)
_WHAT_FACT_START = re.compile(r"^what (time|day|date|year|month|colou?r|size|number|age|percentage)\b")
# "How many...?", "How long...?" ask for a number.
_HOW_FACT = re.compile(rf"^how ({'|'.join(HOW_MUCH)})\b")
_RHETORICAL = re.compile(
    r"^(how many times|what do you expect|what did you expect|why would (you|anyone)|why on earth|"
    r"who do you think|are you (serious|kidding|joking)|do you (really )?think i|what's the point|"
    r"how (hard|difficult) is it|can't you read|did you not read|didn't you read|"
    r"how (was|am|were) (i|we) supposed to)"
)
# "What I'm hearing is..." opens a reflection, not a question.
_REFLECTIVE_WHAT = re.compile(
    r"^what (i'm|i am|i|you're|you are|it|i've|you've) ?(hearing|hear|saying|say|understand|sounds|seems|"
    r"heard|got|getting|said|described|told)\b"
)
_IMPRESSION = re.compile(
    r"\b(sounds like|it seems|seems like|it feels|on the one hand|i get a sense|i sense|i guess|i imagine)\b"
)


def strip_lead_ins(tokens: list[str]) -> list[str]:
    index = 0
    while index < len(tokens) - 1 and tokens[index].strip(",") in LEAD_INS:
        # "i see" / "i" alone is a lead-in; "i wonder" is not.
        if tokens[index] == "i" and tokens[index + 1].strip(",") not in {"see", "mean"}:
            break
        index += 1
    return tokens[index:]


def _tokens(text: str) -> list[str]:
    # Spoken and typed chat both stutter ("can you- can you tell"); drop cut-off fragments and expand
    # "how's"/"what's" so the wh-word stands alone.
    cleaned = re.sub(r"\b[\w']+-+(?=\s|$|\w)", " ", text)
    cleaned = re.sub(r"\b(what|how|where|who|when|why)'s\b", r"\1 is", cleaned)
    tokens = words(cleaned)
    deduped = [t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1]]
    return deduped


def sentence_type(sentence: str) -> str:
    """'open', 'closed' or 'none' for one sentence."""
    text = normalise(sentence).strip().lower()
    has_mark = text.endswith("?") or "?" in text
    all_tokens = _tokens(text)
    tokens = strip_lead_ins(all_tokens)
    if not tokens or (len(all_tokens) <= 2 and set(all_tokens) <= BACKCHANNEL):
        return "none"
    core = " ".join(tokens)
    first = tokens[0]
    if _RHETORICAL.search(core) or _REFLECTIVE_WHAT.search(core):
        return "none"
    if re.search(r"\b(wonder|wondering) if (i|we) (could|can|might)\b|\btell me if\b", core):
        # Asking permission or a yes/no check, however softly phrased.
        return "closed"
    clauses = [" ".join(strip_lead_ins(_tokens(c))) for c in re.split(r"[,;:]", text)]
    if any(_OPEN_REQUEST_START.search(c) for c in clauses) or (
        _POLITE.search(core) and _OPEN_REQUEST.search(core)
    ):
        return "open"
    if has_mark and re.search(r"[,;:]", text):
        # "So, if that worked, what would change?": the question proper may follow a lead-in clause.
        later = [c for c in re.split(r"[,;:]", text)[1:] if c.strip()]
        if any(sentence_type(c.strip().rstrip("?") + "?") == "open" for c in later):
            return "open"
    if re.match(r"^(anything|something|anyone) else\b", core):
        return "open"
    if re.search(r"\b(wondering|wonder) (if|whether|what|how|why|about)\b", core) and first in {
        "i",
        "i'm",
        "im",
    }:
        return "open"
    if first in {"i'm", "i", "i'd", "let's", "im"} and re.match(
        r"^(i'm|i am|i'd|im) (wondering|curious|interested) (what|how|why|about)|^i wonder (what|how|why)",
        core,
    ):
        return "open"
    if first in {"why", "how"} or (
        first == "what" and not (_WHAT_FACT.search(core) or _WHAT_FACT_START.search(core))
    ):
        if first == "how" and _HOW_FACT.search(core):
            return "closed"
        if first == "what" and len(tokens) <= 2 and not has_mark:
            return "none"
        if first == "what" and re.match(r"^what (else|about)\b", core) and len(tokens) <= 3:
            return "open"
        if first == "what" and re.search(r"\bor\b", core):
            return "closed"
        return "open" if has_mark or len(tokens) >= 3 else "none"
    if first in {"where", "when", "who"} and re.search(
        r"\b(do you think|would you|could you|might you)\b", core
    ):
        # "Where would you like to start?" asks for the customer's view, not a fact.
        return "open"
    if first in {"what", "when", "where", "which", "who", "whose", "whom", "whereabouts"}:
        return "closed" if has_mark or len(tokens) >= 3 else "none"
    if first in AUXILIARIES and len(tokens) >= 2:
        second = tokens[1]
        # Auxiliary then a subject: a yes/no question, with or without "?".
        if has_mark or second in SUBJECTS:
            if first == "you" and not has_mark:
                return "none"
            return "closed"
    if has_mark:
        # A long statement with a rising end, or one framed as the agent's impression, is a summary
        # or reflection rather than a request for an answer; a short one still asks for yes or no.
        if _IMPRESSION.search(core):
            return "none"
        return "closed"
    return "none"


def classify(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The message's question type and each sentence with its type."""
    overall, typed = _classify(text)
    return overall, list(typed)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _classify(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    typed = tuple((s, sentence_type(s)) for s in split_sentences(text))
    kinds = {kind for _, kind in typed}
    overall = "open" if "open" in kinds else "closed" if "closed" in kinds else "none"
    return overall, typed


def detect_question(text: str) -> Detection:
    """Quote the question that decided the label and say what kind it is."""
    overall, typed = classify(text)
    if overall == "none":
        return Detection("none", "", "This message asks no question.")
    quote = next(s for s, kind in typed if kind == overall)
    if overall == "open":
        why = "It is an open question: it invites the customer to explain in their own words."
    else:
        why = "It is a closed question: it can be answered with yes, no or a single fact."
    return Detection(overall, quote, why)


# A closing tag that asks only to confirm what was just said ("..., is that right?").
_TAG_END = re.compile(r"[,\s]+(is that (right|correct|so)|am i right|right|yeah|correct|isn't it|is it)\W*$")


def clause_openings(sentence: str) -> list[str]:
    """The first word of each clause of a sentence, after lead-ins, noises and a closing tag: where
    a question proper may start ("So, from what you say, [did] it stop?")."""
    lowered = _TAG_END.sub("", normalise(sentence).lower())
    openings = []
    for clause in re.split(r"[,;:]|--| - ", lowered):
        tokens = strip_lead_ins([t for t in words(clause) if t not in NOISES])
        if tokens:
            openings.append(tokens[0])
    return openings


def asks_yes_or_no(text: str) -> bool:
    """Whether a question is put for a yes or a no ("Did it arrive?"), not for a thing ("Which
    depot?"): one of its closed question sentences has a clause opening with an auxiliary."""
    return any(
        kind == "closed" and any(word in AUXILIARIES for word in clause_openings(sentence))
        for sentence, kind in classify(text)[1]
    )


def forget_question_cache() -> None:
    """Forget remembered classifications (for timing cold scoring)."""
    _classify.cache_clear()
