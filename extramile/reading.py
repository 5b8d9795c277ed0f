"""One reading of each agent message: what it does, decided in one place for the customer and the
scorecard.

Two sources read a message: Rasa's NLU (its dialogue acts, learned from `data/nlu.yml`) and the
detectors (question kind, reflection, apology, arguing, with evidence). Where a detector decides
an act, its verdict wins, so the customer reacts to what the scorecard credits: a paraphrase the
card counts is a paraphrase to the customer, and "You're not bothering me at all" is not arguing
to either. A few acts the NLU often misses in long messages are also found by plain rules here
(a promise with a contact verb, a fix already made, an explanation with a reason, a greeting, the
agent's name). The customer engine reads each message through `read` live, and the scorer reads
the stored NLU acts through the same function, so both always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extramile.detectors.labels import MessageLabels
from extramile.detectors.lexicon.words import NOT_NAMES, STOPWORDS
from extramile.detectors.questions import asks_yes_or_no, classify
from extramile.detectors.text import normalise, split_sentences
from extramile.vocab import AgentAct

TIME = re.compile(
    r"\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next week|"
    r"(by|on|before|within|in) (the |an? )?(next )?((\d+|one|two|three|four|five|ten|24|48)"
    r"( to (\d+|two|three|five|ten))? ?)?(minutes?|hours?|days?|working days?|weeks?)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"\d{1,2}(:\d\d)? ?(am|pm)|\d{1,2}:\d\d|noon|midday|end of (the )?day)\b",
    re.IGNORECASE,
)
GREETING = re.compile(
    r"^\W*(hi|hello|hey|hiya|good (morning|afternoon|evening)|welcome|thanks for "
    r"(contacting|getting in touch|reaching out|calling|waiting|your patience))\b",
    re.IGNORECASE,
)
# "I'm Sam", "i am sam", "This is Sam from support", "my name's Sam", "Sam here", in any case and
# with either apostrophe (the text is normalised first); "I'm sorry" is no name.
_NAME_INTRO = re.compile(
    r"\b(?:my name is|my name's|this is|i am|i'm|im|it's|you're (?:speaking|chatting|talking) (?:with|to)|"
    r"you're through to)\s+([a-z][a-z'-]*)|"
    r"(?:^|[.!,]\s*)(?:hi|hello|hey)?\W*([a-z][a-z'-]*)\s+(?:here|speaking)\b|"
    r"\b(?:hi|hello|hey)\W+([a-z][a-z'-]*)\s+(?:at|from)\s+[A-Z]",  # "Hello, Ben at TechHub."
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"\b(i'll|i will|we'll|we will|i'm going to|i am going to)( personally)? (call|ring|phone|email|"
    r"e-mail|text|message|write to|contact|update|get back to|follow (this )?up|check (back|in)|"
    r"chase|confirm)\b",
    re.IGNORECASE,
)
# The agent doing or committing to a fix. Not built from `lexicon/fixes.py`: those words judge what
# an offer already found gives, and some are too weak to find one ("I'll get back to you" would
# offer a lower price by its "back to").
_FIX = re.compile(
    r"\b(i've|i have|we've|we have|i'll|i will|we'll|we will|i can|we can|i'm going to|let me|i'm|"
    r"i am|we're|we are)( now| just| already| personally| go ahead and)? (refund|refunded|refunding|"
    r"crediting|replacing|cancelling|removing|sending|arranging|booking|moving|putting|waiving|"
    r"reversing|issuing|correcting|fixing|credit|credited|replace|"
    r"replaced|reimburse|reimbursed|cancel|cancelled|canceled|remove|removed|waive|waived|reverse|"
    r"reversed|rebook|rebooked|book|booked|arrange|arranged|send|sent|issue|issued|correct|corrected|"
    r"fix|fixed|reset|restore|restored|upgrade|upgraded|reconnect|reconnected|return|returned|"
    r"re-?send|re-?sent|switch|switched|move|moved|put you back|escalate|escalated|raise|raised|"
    r"offer you|give you|pay back|paying back|paid back|pay you back)\b",
    re.IGNORECASE,
)
# An offer put without a fix verb: "the best I can do is a £20 credit", "how about a voucher?"
_OFFER = re.compile(
    r"\b(the best (i|we) can (do|offer)|what (i|we) can (do|offer) is|(i|we) can offer|how about (a|an|£))",
    re.IGNORECASE,
)
# A reason given: the agent explains (and an analytical customer hears something specific).
REASON = re.compile(
    r"\b(because|due to|since|the reason|which means|that's why|that is why|as a result|this happened|"
    r"what happened (is|was)|it was caused)\b",
    re.IGNORECASE,
)
_EMPATHY = re.compile(
    r"\b(that|it) (sounds|must (be|have been)|is) (really |so |very |incredibly )?(frustrating|stressful|"
    r"upsetting|worrying|awful|horrible|difficult|hard|annoying|disappointing|inconvenient)|"
    r"\bi (can|completely|totally|really) (understand|imagine|see why)|\bi understand how\b|"
    r"\bthat's not fair( on you)?\b|\bnot your fault\b",
    re.IGNORECASE,
)
_THANKS = re.compile(r"\b(thank you|thanks|cheers)\b", re.IGNORECASE)
_FAREWELL = re.compile(
    r"\b(bye|goodbye|good bye|take care|have a (good|great|nice|lovely) (day|evening|weekend|one)|"
    r"all the best)\b",
    re.IGNORECASE,
)
QUESTION_ACTS: dict[str, AgentAct] = {"open": "ask_open_question", "closed": "ask_closed_question"}


def gives_name(text: str) -> bool:
    """Whether the agent gives their own name: a name after "I'm", "this is", "my name is"...
    A capitalised word counts; in a message typed all in lower case, any word that is not a
    common word ("i'm sorry", "this is frustrating") counts."""
    said = normalise(text)
    lower_case = said == said.lower()
    for match in _NAME_INTRO.finditer(said):
        name = match.group(1) or match.group(2) or match.group(3)
        common = name.lower() in NOT_NAMES or name.lower().endswith(("ing", "ed"))
        if name[0].isupper() and not common:  # "Will here", "I'm Sam"
            return True
        if lower_case and not common and name not in STOPWORDS:  # "i'm sam", not "i'm just"
            return True
    return False


def promised_time(text: str) -> str | None:
    """The time a promise gives: from a sentence that promises when there is one ("I'll text you
    tomorrow morning", not the Monday the customer's problem began)."""
    sentences = split_sentences(text)
    for sentence in sorted(sentences, key=lambda s: not _FOLLOW_UP.search(normalise(s))):
        when = TIME.search(sentence)
        if when is not None:
            return when.group(0)
    return None


def read_acts(text: str, nlu_acts: Iterable[AgentAct], labels: MessageLabels) -> frozenset[AgentAct]:
    """The acts of an agent message: the NLU's, with the detectors' verdicts in place of its own
    for questions, reflections, apologies and arguing, and the acts the rules find added."""
    said = normalise(text)
    acts = set(nlu_acts) - {"ask_open_question", "ask_closed_question", "reflect", "apologize", "argue"}
    question = labels.question_kind
    if _only_asks_for_something(text):
        # "Which depot do the vans come from?" neither explains nor offers, however it reads to
        # the NLU; an offer put as a question asks for a yes ("Shall I refund the £26?").
        acts -= {"explain", "offer_solution"}
    if question in QUESTION_ACTS:
        acts.add(QUESTION_ACTS[question])
    if labels.reflection.found and not labels.reflection.invented:
        acts.add("reflect")  # a paraphrase that gets the customer's figures wrong is no paraphrase
    if labels.apology_kind == "apology":
        acts.add("apologize")
    if labels.argues:
        acts.add("argue")
    found: dict[AgentAct, bool] = {
        "greet": bool(GREETING.search(said)),
        "introduce_self": gives_name(said),
        "promise_follow_up": bool(_FOLLOW_UP.search(said)),
        "offer_solution": bool(_FIX.search(said) or _OFFER.search(said)),
        "explain": bool(REASON.search(said)),
        "empathize": bool(_EMPATHY.search(said)),
        "thank": bool(_THANKS.search(said)),
    }
    acts |= {act for act, present in found.items() if present}
    # "Is there anything else?" asks; only a farewell closes the call.
    if "goodbye" in acts and not _FAREWELL.search(said):
        acts.discard("goodbye")
    if len(acts) > 1:
        acts.discard("out_of_scope")
    return frozenset(acts)


def _only_asks_for_something(text: str) -> bool:
    """Every sentence is a question, and none asks for a yes or a no."""
    sentences = classify(text)[1]
    return bool(sentences) and all(kind != "none" for _, kind in sentences) and not asks_yes_or_no(text)
