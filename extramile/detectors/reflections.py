"""Reflections: the agent saying back what the customer said, which message, and whether it is faithful."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extramile.detectors.detection import Detection
from extramile.detectors.lexicon.feelings import FEELINGS
from extramile.detectors.lexicon.questions import QUESTION_STARTS
from extramile.detectors.questions import classify, clause_openings
from extramile.detectors.text import (
    content_words,
    fact_key,
    facts,
    figures,
    normalise,
    split_sentences,
    words,
)

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
# Naming what the customer feels ("you sound really fed up", "you felt let down") is the commonest
# complex reflection: it says back the feeling under the words.
_FEELING = "(" + "|".join(FEELINGS) + ")"
_NAMED_FEELING = re.compile(
    r"\byou(?:'re| are| were|'ve been| have been| feel| felt| seem| seemed| sound| sounded| look| looked|"
    r" get| got)(?: \w+)?(?: so| really| very| quite| a bit| pretty| kind of| a little| sort of)? "
    + _FEELING
    + r"\b"
)
# "You know, ..." opening a sentence is a filler, not "you know ..." said of the customer.
_LEADING_FILLER = re.compile(r"^((and|but|so|yeah|okay|um|uh),? )*(you know|i mean|you see|like),\s*")
# A short verdict on the customer's situation ("It's a lot of work.", "That's a real worry.") says
# back how things are for them in the agent's own words.
_SHORT_VERDICT = re.compile(
    r"^\W*((yeah|okay|ok|right|so|and|but|mm|hmm|sure|well)\W+)*"
    r"(it|that|they|this)('s|'re| is| are| was| were)\b"
)
_GENERIC = re.compile(
    r"^(i (understand|see|get it|hear you)|got it|okay|ok|right|sure|yes|yeah|mm|hmm|uh-huh|thanks|"
    r"thank you|great|good|alright|fair enough|of course|no problem|absolutely|i know)[.!,]*$"
)


_SELF_OR_ADVICE = re.compile(
    r"^(i'll|i will|i'm going to|let me|let's|we'll|we can|we could|i can|i want to|i'd like to|my name|"
    r"thank|thanks|hi\b|hello|welcome|good (morning|afternoon|evening))|"
    r"\byou (should|need to|must|have to|ought to)\b|\b(i|we) (recommend|suggest|advise)|"
    r"\b(recommend|recommendation|to be honest|according to|let me|"
    r"i can't|i cannot|i don't want|i'd like|i want)\b"
)


# The agent putting the customer right, or explaining how things work: their own input, never the
# customer's view said back, however many of the customer's words it reuses.
_CORRECTING = re.compile(
    r"^\W*(no[,.!]|nope\b|actually,|with respect|in fact)|"
    r"\bthat'?s not (right|true|correct|the case|what)\b|"
    r"\byou (clearly|obviously|were only|just have to|won't)\b|"
    r"\byou (should|shouldn't) have\b|\byou must have (?!been|felt|had)|"
    r"\b(works|worked) for everyone\b|\bif you (had )?(read|checked|looked)\b|"
    r"\b(must|probably) (be )?your\b|\bnothing to (do with|be)\b|"
    r"\b(our|the) (terms|policy|system|records?)\b|\bnot us\b|\b(is|are) (covered|handled|based on)\b"
)
# A sentence about things in general ("Refunds take up to 14 days", "Drivers aren't allowed to ...")
# states how the world works, which is information rather than the customer's experience.
_GENERALISATION = re.compile(
    r"^(all |most |some |many |our )?[a-z]{3,}s (can|can't|cannot|take|always|usually|normally|often|"
    r"generally|include|follow|get|don't|aren't|are (usually|always|normally|often|not|never))\b"
)
# An apology frames the agent's own regret; a restatement inside it is part of the apology.
_APOLOGY_LEAD = re.compile(
    r"^\W*(i'?m |i am |we'?re |we are |so |very |really |truly |terribly )*(sorry|apologi[sz]e|apologies)\b"
)
_AFFIRM = re.compile(
    r"\b(that's|that is|it's|what a|that sounds|sounds) (a )?(really |very |so )?(great|good|awesome|"
    r"wonderful|excellent|brilliant|fantastic|amazing)\b|\bwell done\b|\bgood for you\b"
)
# A "So ..." opening carries on from the customer's words: a weak sign of saying them back.
_SUMMING_UP = re.compile(
    r"^\W*((okay|ok|yeah|right|mm|mm-hmm|hmm|uh-huh|all right|alright|oh|oh no|oh dear|ah|gosh|wow)\W+)*so\b"
)
# A sentence that only thanks, greets or acknowledges ("Thank you.", "Hi Ruth!", "Okay, got it."):
# what follows it is the message proper.
_LEAD_IN_SENTENCE = re.compile(
    r"^(thank you|thanks|hi|hello|hey|okay|ok|right|sure|oh no|oh dear|i see|got it|understood)\b"
    r"[\w ,']{0,20}[.!]*$"
)
_THANKS_OR_GREETING = re.compile(r"\b(thank you|thanks|hello|hi|welcome|nice to meet|good to see)\b")
_FILLERS = r"\b(you know|you see|mind you|thank you|if you like|i mean|i guess|i see)\b"
_YOU_SUBJECT = frozenset({"you", "you're", "you've", "you'd", "yourself", "youre"})
_FIRST_PERSON = frozenset(["i", "i'm", "i've", "i'll", "i'd", "we", "we're", "we'll", "we've", "let's", "im"])
_PROMISE_OR_INSTRUCTION = re.compile(
    r"\b(will|'ll|please|you can|you may|you could|make sure|it's important|there are|there's also|"
    r"a lot of people|most people|some people|normal|you might|you would|if you (would|were|could)|"
    r"really important|is important|bad for you|good for you|causes?)\b|'ll\b"
)

# The share of a message's content words the customer used that makes it an echo of them.
_ECHO_SHARE = 0.5


@dataclass(frozen=True)
class ContextMessage:
    """One earlier message of the chat, oldest first."""

    speaker: str
    text: str


@dataclass(frozen=True)
class Reflection:
    """Whether a message reflects, which customer message it restates, and any invented specifics.

    `restates` is an index into the context the detector was given (the labeller maps it to the
    message's place in the session log)."""

    detection: Detection
    restates: int | None = None
    shared_words: tuple[str, ...] = ()
    invented: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.detection.label == "reflection"


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


@dataclass(frozen=True)
class _Evidence:
    """What the scoring weighs, gathered once per message."""

    statements: tuple[str, ...]  # the sentences that do not ask anything
    overall: str  # "open", "closed", "declarative" (statement with a "?") or "none"
    stem: bool
    recent: frozenset[str]  # content words shared with the last few customer messages together
    content: frozenset[str]  # the statement's own content words
    heard: bool  # the customer has spoken

    @property
    def statement(self) -> str:
        return " ".join(self.statements)


def _evidence(clean: str, context: Sequence[ContextMessage]) -> _Evidence | None:
    overall, typed = classify(clean)
    statements = [
        s
        for s, kind in typed
        if (kind == "none" or (kind == "closed" and not _is_aux_question(s)))
        and not _APOLOGY_LEAD.match(s.lower())
    ]
    if not statements:
        return None
    statement_text = " ".join(statements)
    asks = any(kind == "open" or (kind == "closed" and _is_aux_question(s)) for s, kind in typed)
    overall = overall if asks or overall == "none" else "declarative"
    agent_words = content_words(statement_text)
    recent = agent_words & _recent_customer_words(context)
    evidence = _Evidence(
        tuple(statements),
        overall,
        any(_has_stem(s) for s in statements),
        recent,
        agent_words,
        _last_customer(context) is not None,
    )
    return evidence


def _recent_customer_words(context: Sequence[ContextMessage], turns: int = 3) -> frozenset[str]:
    # A summary gathers what the customer said over their last few messages, not just the latest one.
    said = [m.text for m in context if m.speaker == "customer"][-turns:]
    return frozenset().union(*(content_words(text) for text in said))


THRESHOLD = 0.5  # the reflection model's own decision boundary; not tuned on any test set
_NO = Detection("none", "", "This message does not say back what the customer said.")


@dataclass(frozen=True)
class Clause:
    """One sentence of an agent message, as a possible restatement of the customer."""

    text: str  # as written
    said: str  # what it states: without an apology in front ("I'm sorry [your laptop died]")
    kind: str  # the question it asks: open, closed or none
    content: frozenset[str]
    echoed: frozenset[str]  # content words shared with the customer's last few messages
    stem: bool

    @property
    def share(self) -> float:
        return len(self.echoed) / len(self.content) if self.content else 0.0


_APOLOGY_FRAME = re.compile(
    r"^\W*(i'?m |i am |we'?re |we are |so |very |really |truly |terribly )*(sorry|apologi[sz]e|apologies)"
    r"( (that|to hear( that)?|about|for|if))?[\s,]*",
    re.IGNORECASE,
)


def clauses(text: str, context: Sequence[ContextMessage]) -> list[Clause]:
    recent = _recent_customer_words(context)
    found = []
    for sentence, kind in classify(normalise(text))[1]:
        said = _APOLOGY_FRAME.sub("", sentence).strip() or sentence
        content = content_words(said)
        found.append(Clause(sentence, said, kind, content, content & recent, _has_stem(sentence)))
    return found


def restating_clause(found: Sequence[Clause]) -> Clause | None:
    """The sentence most like a restatement: a stem, then the most of the customer's words. A
    sentence that only thanks or greets ("Thanks Dave.") restates nothing, whatever it echoes."""
    candidates = [c for c in found if not _LEAD_IN_SENTENCE.match(c.text.strip().lower())] or found
    return max(candidates, key=lambda c: (c.stem, len(c.echoed), c.share), default=None)


def detect_reflection(text: str, context: Sequence[ContextMessage], model_probability: float) -> Reflection:
    """Find a reflection of the customer's words in the agent's message.

    `model_probability` is what the reflection model (trained on the project's labelled messages,
    over `reflection_features`) gives this message in this context; the rules here say which
    sentence restates what, and check that sentence alone for details the customer never gave."""
    clean = normalise(text).strip()
    if not clean or _GENERIC.match(clean.lower()) or model_probability < THRESHOLD:
        return Reflection(_NO)
    clause = restating_clause(clauses(clean, context))
    if clause is None:
        return Reflection(_NO)
    index, _ = _best_customer_message(clause.content, context)
    if index is None:
        index = _last_customer(context)
    # Only a restating clause can invent: the agent's own promise or instruction ("you'll get a
    # text by 8am") gives new details by design.
    said = clause.said.lower()
    own_input = _SELF_OR_ADVICE.search(said) or _PROMISE_OR_INSTRUCTION.search(said)
    invented = () if own_input else _invented(clause.said, context)
    shared = clause.echoed
    why = (
        "It says back what the customer said"
        + (f' ("{", ".join(sorted(shared))}")' if shared else "")
        + ", showing they were heard."
    )
    if invented:
        why = f"It reflects the customer but adds details they never gave ({', '.join(invented)})."
    return Reflection(Detection("reflection", clause.text, why), index, tuple(sorted(shared)), invented)


def _invented(statement: str, context: Sequence[ContextMessage]) -> tuple[str, ...]:
    """Figures of a restatement the customer never gave, anywhere earlier in the chat: amounts,
    numbers, days and months (names are left alone: the agent's own, or the customer's from their
    account, are no invention).

    Figures are compared in one spelling ("thirty-two pounds" is the customer's "£32", "two times"
    is "twice"), and a figure worked out from the customer's own (a difference, a sum, a product)
    is theirs too."""
    customer_text = " ".join(m.text for m in context if m.speaker == "customer")
    known = {fact_key(f) for f in facts(customer_text)} | set(words(customer_text))
    derived = _derived_figures(customer_text)
    return tuple(
        sorted(
            f
            for f in figures(statement)
            if fact_key(f) not in known and f not in known and _value(f) not in derived
        )
    )


def _value(fact: str) -> float | None:
    try:
        return round(float(fact_key(fact).rstrip("%").replace(",", "")), 2)
    except ValueError:
        return None


def _derived_figures(customer_text: str) -> set[float | None]:
    numbers = [v for v in (_value(f) for f in facts(customer_text)) if v is not None][:12]
    derived: set[float | None] = set()
    for i, a in enumerate(numbers):
        for b in numbers[i + 1 :]:
            derived |= {round(a + b, 2), round(abs(a - b), 2), round(a * b, 2)}
            if a and b:
                derived |= {round(a / b, 2), round(b / a, 2)}
    return derived


def _without_lead_ins(text: str) -> str:
    """The message without the thanks, greeting or acknowledgement it opens with."""
    sentences = split_sentences(text)
    while len(sentences) > 1 and _LEAD_IN_SENTENCE.match(sentences[0].strip().lower()):
        sentences = sentences[1:]
    return " ".join(sentences)


def reflection_features(text: str, context: Sequence[ContextMessage]) -> dict[str, float]:
    """What the reflection model weighs: the hand-written rules' verdict and each of their signals,
    for the message and for its sentence most like a restatement."""
    whole = normalise(text).strip()
    clean = _without_lead_ins(whole)
    lowered = clean.lower()
    found = clauses(clean, context)
    best = restating_clause(found)
    evidence = _evidence(clean, context) if clean else None
    customer = [m.text for m in context if m.speaker == "customer"]
    everything = frozenset().union(*(content_words(t) for t in customer))
    last = content_words(customer[-1]) if customer else frozenset()
    content = content_words(clean)
    specifics = {fact_key(f) for f in facts(" ".join(customer))}
    tokens = set(words(lowered))
    features: dict[str, float] = {
        "rule_score": float(_reflection_score(evidence)) if evidence else -3.0,
        "repeats_last": float(
            evidence is not None and len(words(lowered)) < 4 and _repeats_last_words(evidence, context)
        ),
        "generic": float(bool(_GENERIC.match(lowered))),
        "heard": float(bool(customer)),
        "sentences": float(min(len(found), 5)),
        "words": min(len(words(lowered)), 60) / 20,
        "echo_all": min(len(content & everything), 8) / 4,
        "echo_last": min(len(content & last), 8) / 4,
        "echo_share": len(content & everything) / len(content) if content else 0.0,
        "you": float(bool(_YOU_SUBJECT & tokens)),
        "your": float("your" in tokens),
        "first_person": float(bool(_FIRST_PERSON & tokens)),
        "thanks_or_greeting": float(bool(_THANKS_OR_GREETING.search(whole.lower()))),
        "self_or_advice": float(bool(_SELF_OR_ADVICE.search(lowered))),
        "promise_or_instruction": float(bool(_PROMISE_OR_INSTRUCTION.search(lowered))),
        "correcting": float(bool(_CORRECTING.search(lowered))),
        "affirm": float(bool(_AFFIRM.search(lowered))),
        "summing_up": float(any(_SUMMING_UP.match(s.lower()) for s in split_sentences(clean))),
        "named_feeling": float(bool(_NAMED_FEELING.search(lowered))),
        "apology": float(any(_APOLOGY_FRAME.match(c.text) for c in found)),
        "asks_open": float(any(c.kind == "open" for c in found)),
        "asks_closed": float(any(c.kind == "closed" and _is_aux_question(c.text) for c in found)),
        "declarative_check": float(any(c.kind == "closed" and not _is_aux_question(c.text) for c in found)),
    }
    if best is not None:
        said = best.said.lower()
        # The rules' verdict on the restating sentence alone: a "Thank you." or a fix elsewhere in
        # the message does not undo a paraphrase.
        alone = _evidence(best.said, context)
        features |= {
            "best_rule_score": float(_reflection_score(alone)) if alone else -3.0,
            "best_own_input": float(
                bool(_SELF_OR_ADVICE.search(said) or _PROMISE_OR_INSTRUCTION.search(said))
            ),
            "best_stem": float(best.stem),
            "best_echoed": min(len(best.echoed), 6) / 3,
            "best_share": best.share,
            "best_apology_framed": float(best.said != best.text),
            "best_question": float(best.kind != "none"),
            "best_aux_question": float(best.kind != "none" and _is_aux_question(best.text)),
            "best_you": float(bool(_YOU_SUBJECT & set(words(said)))),
            "best_first_person": float(bool(_FIRST_PERSON & set(words(said)))),
            "best_specifics": min(len({fact_key(f) for f in facts(best.said)} & specifics), 3) / 3,
            "best_invented": min(len(_invented(best.said, context)), 3) / 3,
            "best_generalisation": float(bool(_GENERALISATION.match(said))),
            "best_words": min(len(words(said)), 40) / 20,
        }
    return features


def masked_text(text: str, context: Sequence[ContextMessage]) -> str:
    """The message with the customer's own words and figures masked: what is left is how the
    agent frames them ("so ECHO ECHO twice", "when did ECHO"), which carries over to any
    scenario."""
    customer = " ".join(m.text for m in context if m.speaker == "customer")
    theirs = content_words(customer)
    figures = {fact_key(f) for f in facts(customer)}
    masked = []
    for token in words(normalise(text).lower()):
        if any(ch.isdigit() for ch in token):
            masked.append("ECHONUM" if fact_key(token) in figures else "NUM")
        elif content_words(token) & theirs:
            masked.append("ECHO")
        else:
            masked.append(token)
    return " ".join(masked)


def _reflection_score(evidence: _Evidence) -> int:
    # Evidence adds up: a reflective stem, words echoed from the customer, and a statement about the
    # customer ("you ...") with no "I"/"we" in it; talk about the agent, advice, promises, corrections
    # and questions count against, because those are the agent's own input rather than the customer's
    # words said back.
    if _THANKS_OR_GREETING.search(evidence.statement.lower()):
        return 0
    lowered = re.sub(_FILLERS, " ", evidence.statement.lower())
    return _signs_of_reflection(evidence, lowered) - _signs_of_own_input(evidence, lowered)


def _signs_of_reflection(evidence: _Evidence, lowered: str) -> int:
    tokens = set(words(lowered))
    length = len(words(lowered))
    first_person = bool(_FIRST_PERSON & tokens)
    # Nothing to say back when the customer has not spoken yet.
    score = 2 * evidence.stem + min(len(evidence.recent), 2) + (0 if evidence.heard else -1)
    if _YOU_SUBJECT & tokens:
        score += 1
    if evidence.overall == "none" and length >= 4 and not first_person:
        # A mid-length statement about the customer's world, with no "I"/"we", is how most
        # reflections look even when they use none of the customer's words.
        score += 2 if 10 <= length < 25 and tokens & {"your", "yours"} | _YOU_SUBJECT & tokens else 1
    if _SUMMING_UP.match(lowered):
        score += 1
    if evidence.overall == "none" and length < 8 and not first_person and _SHORT_VERDICT.match(lowered):
        score += 1
    if _echoes(evidence):
        # Most of what the agent says are the customer's own words: saying them back, even as a check.
        score += 1
    return score


def _signs_of_own_input(evidence: _Evidence, lowered: str) -> int:
    against = 0
    if _FIRST_PERSON & set(words(lowered)) and not evidence.stem:
        against += 1
    if _SELF_OR_ADVICE.search(lowered):
        against += 2
    if _PROMISE_OR_INSTRUCTION.search(lowered):
        against += 1
    if _AFFIRM.search(lowered):
        against += 1
    if _CORRECTING.search(lowered):
        against += 3
    if any(_GENERALISATION.match(s.lower()) for s in evidence.statements):
        against += 2
    if evidence.overall == "declarative" and not (_echoes(evidence) or _SUMMING_UP.match(lowered)):
        # A statement with a rising "?" is often a plain check of a fact; it needs more echo, or a
        # "So ..." that carries on from the customer, to count.
        against += 1
    if evidence.overall in ("open", "closed"):
        # A message that asks something is mainly a question; only a clear stem makes it a reflection too.
        against += 1 if evidence.stem else 2
    return against


def _repeats_last_words(evidence: _Evidence, context: Sequence[ContextMessage]) -> bool:
    # A word or two picked out of what the customer just said ("Twelve years?", "Your mum.") is the
    # simplest reflection there is: a repetition.
    last = _last_customer(context)
    if last is None or not evidence.content:
        return False
    return evidence.content <= content_words(context[last].text)


def _echoes(evidence: _Evidence) -> bool:
    recent, content = len(evidence.recent), len(evidence.content)
    return recent >= 2 and recent >= _ECHO_SHARE * content


def _has_stem(sentence: str) -> bool:
    # Stutters ("i-it seems") are common in typed and spoken chat; drop the cut-off part first.
    lowered = re.sub(r"\b[\w']+-+(?=\w)", "", normalise(sentence).lower())
    lowered = _LEADING_FILLER.sub("", lowered.lstrip(" -"))
    return bool(_STEM.match(lowered) or _STEM_ANYWHERE.search(lowered) or _NAMED_FEELING.search(lowered))


def _is_aux_question(sentence: str) -> bool:
    # "So you were charged twice?" is a checking reflection; "Did you get charged?" or "So how often
    # does it happen?" is just a question, and so is "So, from what you say, did it stop?": the question
    # may come after a lead-in clause. A closing tag ("..., is that right?") only checks the statement.
    return any(word in QUESTION_STARTS for word in clause_openings(sentence))
