"""Reflections: the agent saying back what the customer said, which message, and whether it is faithful."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from actions.skills.questions import classify
from actions.skills.questions import strip_lead_ins as _strip_lead_ins
from actions.skills.result import Detection
from actions.skills.text import content_words, facts, normalise, words

# Openings that announce a reflection or describe the customer ("you feel", "it sounds like").
_STEM = re.compile(
    r"^(so,? |and,? |okay,? |ok,? |right,? |yeah,? |mm,? |hmm,? |well,? |alright,? |sounds like )*"
    r"(what i'?m hearing|i'?m hearing|i hear|it sounds like|sounds like|it seems like|seems like|"
    r"it seems|if i understand|if i'?ve understood|so if i|you'?re saying|you said|you mentioned|"
    r"you feel|you'?re feeling|you felt|you'?re (worried|concerned|frustrated|upset|angry|annoyed|"
    r"unhappy|tired|fed up|not sure|unsure|thinking|wondering|struggling|finding|having|getting|still|"
    r"really|quite|pretty|a bit|kind of|not|also)|you (were|are|have|had|'ve|don't|didn't|can't|couldn't|"
    r"want|wanted|need|needed|think|thought|worry|get|got|just|really|still|never|only|would|'d|like|"
    r"enjoy|found|find|see|know|wish|hope|kind of|sort of|also|already|do)|"
    r"it'?s (been|like|hard|difficult|important|frustrating|been hard)|this (has|is) (been|really)|"
    r"that'?s (been|really|a lot|hard|frustrating|difficult)|"
    r"part of you|on (the )?one hand|you'?re (a|the|someone|somebody|really|very|not))"
)
# Stems so explicit they mark a reflection wherever they stand in the message.
_STEM_ANYWHERE = re.compile(
    r"\b(what i'?m hearing|i'?m hearing you|it sounds like|sounds like you|i get the (feeling|sense)|"
    r"i get a sense|it feels like|it seems like|if i understand|if i'?ve understood|make sure i understand|"
    r"what you'?re saying|you'?re saying|you said|you mentioned|you told me|let me see if i|"
    r"to summari[sz]e|in other words|correct me if)\b"
)
_GENERIC = re.compile(
    r"^(i (understand|see|get it|hear you)|got it|okay|ok|right|sure|yes|yeah|mm|hmm|uh-huh|thanks|"
    r"thank you|great|good|alright|fair enough|of course|no problem|absolutely|i know)[.!,]*$"
)


_SELF_OR_ADVICE = re.compile(
    r"^(i'll|i will|i'm going to|let me|let's|we'll|we can|we could|i can|i want to|i'd like to|my name|"
    r"thank|thanks|hi\b|hello|welcome|good (morning|afternoon|evening))|"
    r"\byou (should|need to|must|have to|ought to)\b|\b(i|we) (recommend|suggest|advise)|"
    r"\b(research|studies|evidence|guidelines?|recommend|recommendation|to be honest|according to|let me|"
    r"i can't|i cannot|i don't want|i'd like|i want)\b"
)


_AFFIRM = re.compile(
    r"\b(that's|that is|it's|what a|that sounds|sounds) (a )?(really |very |so )?(great|good|awesome|"
    r"wonderful|excellent|brilliant|fantastic|amazing)\b|\bwell done\b|\bgood for you\b"
)
# A "So ..." opening carries on from the customer's words: a weak sign of saying them back.
_SUMMING_UP = re.compile(r"^\W*((okay|ok|yeah|right|mm|mm-hmm|hmm|uh-huh|all right|alright)\W+)*so\b")
_QUESTION_START_TEXT = """
do does did can could would will is are was were have has had should shall may might am
what how why when where which who whose anything any
"""
_QUESTION_STARTS = frozenset(_QUESTION_START_TEXT.split())
_THANKS_OR_GREETING = re.compile(r"\b(thank you|thanks|hello|hi|welcome|nice to meet|good to see)\b")
_FILLERS = r"\b(you know|you see|mind you|thank you|if you like|i mean|i guess|i see)\b"
_YOU_SUBJECT = frozenset({"you", "you're", "you've", "you'd", "yourself", "youre"})
_FIRST_PERSON = frozenset(
    {
        "i",
        "i'm",
        "i've",
        "i'll",
        "i'd",
        "we",
        "we're",
        "we'll",
        "we've",
        "let's",
        "im",
    }
)
_PROMISE_OR_INSTRUCTION = re.compile(
    r"\b(will|'ll|please|you can|you may|you could|make sure|it's important|there are|there's also|"
    r"a lot of people|most people|some people|normal|you might|you would|if you (would|were|could)|"
    r"really important|is important|bad for you|good for you|causes?)\b|'ll\b"
)


@dataclass(frozen=True)
class ContextMessage:
    """One earlier message of the chat, oldest first."""

    speaker: str
    text: str


@dataclass(frozen=True)
class ReflectionResult:
    """Whether a message reflects, which customer message it echoes, and any invented specifics."""

    detection: Detection
    customer_index: int | None = None
    shared_words: tuple[str, ...] = ()
    invented: tuple[str, ...] = ()

    @property
    def faithful(self) -> bool:
        return not self.invented


def _best_customer_message(
    agent_words: frozenset[str], context: Sequence[ContextMessage]
) -> tuple[int | None, frozenset[str]]:
    # The most recent customer messages are the likeliest to be reflected, so they win ties.
    best: tuple[int | None, frozenset[str]] = (None, frozenset())
    for index in range(len(context) - 1, -1, -1):
        message = context[index]
        if message.speaker != "customer":
            continue
        shared = agent_words & content_words(message.text)
        if len(shared) > len(best[1]):
            best = (index, shared)
    return best


def _last_customer(context: Sequence[ContextMessage]) -> int | None:
    return next((i for i in range(len(context) - 1, -1, -1) if context[i].speaker == "customer"), None)


def detect_reflection(text: str, context: Sequence[ContextMessage]) -> ReflectionResult:
    """Find a reflection of the customer's words in the agent's message."""
    clean = normalise(text).strip()
    lowered = clean.lower()
    no = ReflectionResult(Detection("none", "", "This message does not say back what the customer said."))
    if not clean or _GENERIC.match(lowered) or len(words(lowered)) < 3:
        return no
    overall, typed = classify(clean)
    statements = [s for s, kind in typed if kind == "none" or (kind == "closed" and not _is_aux_question(s))]
    if not statements:
        return no
    statement_text = " ".join(statements)
    asks = any(kind == "open" or (kind == "closed" and _is_aux_question(s)) for s, kind in typed)
    overall = overall if asks or overall == "none" else "declarative"
    agent_words = content_words(statement_text)
    index, shared = _best_customer_message(agent_words, context)
    stem = any(_has_stem(s) for s in statements)
    last = _last_customer(context)
    # Nothing to say back when the customer has not spoken yet.
    heard = -1 if last is None else 0
    is_reflection = _reflection_score(statement_text, stem, len(shared), overall) + heard >= 2
    if not is_reflection:
        return no
    if index is None:
        index = _last_customer(context)
    customer_text = " ".join(m.text for m in context if m.speaker == "customer")
    invented = tuple(sorted(facts(statement_text) - facts(customer_text) - {w for w in words(customer_text)}))
    quote = next((s for s in statements if _has_stem(s)), statements[0])
    why = (
        "It says back what the customer said"
        + (f' ("{", ".join(sorted(shared))}")' if shared else "")
        + ", showing they were heard."
    )
    if invented:
        why = f"It reflects the customer but adds details they never gave ({', '.join(invented)})."
    return ReflectionResult(Detection("reflection", quote, why), index, tuple(sorted(shared)), invented)


def _reflection_score(statement: str, stem: bool, shared: int, overall: str) -> int:
    # Evidence adds up: a reflective stem, words echoed from the customer, and a statement about the
    # customer ("you ...") with no "I"/"we" in it; talk about the agent, advice, promises and questions
    # count against, because those are the agent's own input rather than the customer's words said back.
    if _THANKS_OR_GREETING.search(statement.lower()):
        return 0
    lowered = re.sub(_FILLERS, " ", statement.lower())
    tokens = set(words(lowered))
    score = 2 * stem + min(shared, 2)
    if _YOU_SUBJECT & tokens:
        score += 1
    first_person = bool(_FIRST_PERSON & tokens)
    length = len(words(lowered))
    if overall == "none" and length >= 4 and not first_person:
        # A mid-length statement about the customer's world, with no "I"/"we", is how most
        # reflections look even when they use none of the customer's words.
        score += 2 if 10 <= length < 25 and tokens & {"your", "yours"} | _YOU_SUBJECT & tokens else 1
    if first_person and not stem:
        score -= 1
    if _SELF_OR_ADVICE.search(lowered):
        score -= 2
    if _PROMISE_OR_INSTRUCTION.search(lowered):
        score -= 1
    if _SUMMING_UP.match(lowered):
        score += 1
    if _AFFIRM.search(lowered):
        score -= 1
    if overall == "declarative":
        # A statement with a rising "?" is often a plain check of a fact; it needs more echo to count.
        score -= 1
    if overall in ("open", "closed"):
        # A message that asks something is mainly a question; only a clear stem makes it a reflection too.
        score -= 1 if stem else 2
    return score


def _has_stem(sentence: str) -> bool:
    # Stutters ("i-it seems") are common in typed and spoken chat; drop the cut-off part first.
    lowered = re.sub(r"\b[\w']+-+(?=\w)", "", normalise(sentence).lower())
    return bool(_STEM.match(lowered) or _STEM_ANYWHERE.search(lowered))


def _is_aux_question(sentence: str) -> bool:
    # "So you were charged twice?" is a checking reflection; "Did you get charged?" or "So how often
    # does it happen?" is just a question.
    tokens = _strip_lead_ins(words(normalise(sentence).lower()))
    return bool(tokens) and tokens[0] in _QUESTION_STARTS
