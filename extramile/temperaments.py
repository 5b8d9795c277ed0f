"""What each temperament wants, written once: read by the customer's mood and by the scorecard.

| temperament | expects                               | loses patience with                           |
|-------------|---------------------------------------|-----------------------------------------------|
| aggressive  | a quick fix, the bottom line          | long messages, many questions, no solution soon |
| expressive  | warmth, rapport, being heard          | cold or curt replies, being rushed            |
| passive     | gentle open questions, reassurance    | closed questions, strings of them             |
| analytical  | detail, numbers, reasons              | vague answers, unsupported claims             |

Each temperament has a `Profile`: the mood change per agent act, the rules on a message as a
whole that move the customer's mood, and the expectations the temperament-fit skill checks over
the whole conversation. Both the rules and the expectations are built on the same predicates
(`is_long`, `is_curt`, `is_specific`, ...), so what pleases a customer is what the scorecard
credits. A message is seen through a `Reading`: its text, its acts and the kind of question it
asks; the customer engine and the scorer each build one from what they know of the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from extramile.detectors.questions import classify
from extramile.detectors.text import figures
from extramile.reading import REASON
from extramile.vocab import AGENT_ACTS, TEMPERAMENTS, AgentAct, EventKind, QuestionKind, Temperament, complete

LONG_MESSAGE_WORDS = 45  # an aggressive customer stops reading
CURT_MESSAGE_WORDS = 6  # shorter, with no warmth, reads as cold to an expressive customer
SOLUTION_WITHIN = 4  # agent messages an aggressive customer waits for a solution
WARM_SHARE = 0.4  # warmth in this share of messages is all an expressive customer asks
CLOSED_RUN = 3  # closed questions in a row that make an interrogation

# Acts that are warm in themselves. A bare greeting, a formal "Apologies for that.", a bare
# paraphrase ("Monday and Wednesday. Both missed.") or a name is not, whatever it does for the
# first impression, apologies or listening; "sorry" and "happy to help" are (WARM_WORDS).
WARM_ACTS: frozenset[AgentAct] = frozenset({"thank", "empathize"})
EXPLAINING_ACTS: frozenset[AgentAct] = frozenset({"explain", "offer_solution"})
REASSURING_ACTS: frozenset[AgentAct] = frozenset({"empathize", "promise_follow_up"})

# A wh-word opening a question or a clause strung on to one.
_QUESTION_CLAUSE = re.compile(r"(?:^|[,;]|\band\b|\bor\b)\s*(?:what|when|where|why|how|who|which|whether)\b")
# Hedges that leave an analytical customer none the wiser: "probably just a system thing".
_VAGUE = re.compile(
    r"\b(probably|maybe|perhaps|might be|may be|not sure (why|how)|i think it's|it depends|"
    r"these things happen|a (fair|little) bit|"
    r"just a (system|technical|computer) (thing|glitch|issue|error))\b",
    re.IGNORECASE,
)
WARM_WORDS = re.compile(
    r"\b(happy to help|glad to help|here to help|i'll do my best|sorry|thank|understand|appreciate|"
    r"sounds (really |so )?(frustrating|stressful|difficult))",
    re.IGNORECASE,
)
_REASSURING_WORDS = re.compile(
    r"\b(don't worry|no need to worry|we('ll| will) (sort|fix|get)|you're not alone|take your time|"
    r"no rush|it's (ok|okay|fine)|i've got this|we can fix)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """How one agent message reads: its words, its dialogue acts and the question it asks.

    `closed_run` counts the closed questions the agent has asked in a row, this one included:
    a string of them is an interrogation even when each message asks only one."""

    text: str
    acts: frozenset[AgentAct]
    question: QuestionKind
    closed_run: int = 0


def word_count(text: str) -> int:
    return len(text.split())


def is_long(reading: Reading) -> bool:
    return word_count(reading.text) > LONG_MESSAGE_WORDS


def asks_several(reading: Reading) -> bool:
    """Two question marks, or one question that strings several together ("could you tell me what
    you paid, what you pay now, and when it changed?")."""
    if reading.text.count("?") > 1:
        return True
    asked = [sentence for sentence, kind in classify(reading.text)[1] if kind != "none"]
    return any(len(_QUESTION_CLAUSE.findall(sentence.lower())) > 1 for sentence in asked)


def is_specific(reading: Reading) -> bool:
    """Numbers or reasons: what an analytical customer wants from an explanation."""
    return bool(figures(reading.text) or REASON.search(reading.text))


def explains(reading: Reading) -> bool:
    return bool(EXPLAINING_ACTS & reading.acts)


def is_vague(reading: Reading) -> bool:
    """Hedged and with no numbers or reasons: no explanation to an analytical customer."""
    return bool(_VAGUE.search(reading.text)) and not is_specific(reading)


def is_warm(reading: Reading) -> bool:
    return bool(WARM_ACTS & reading.acts or WARM_WORDS.search(reading.text))


def is_curt(reading: Reading) -> bool:
    """Short and without warmth: "Order number?". A short apology is warm, not curt."""
    return word_count(reading.text) < CURT_MESSAGE_WORDS and not is_warm(reading)


def is_reassuring(reading: Reading) -> bool:
    return bool(REASSURING_ACTS & reading.acts or _REASSURING_WORDS.search(reading.text))


def interrogates(reading: Reading) -> bool:
    """Several closed questions at once, or a string of them in a row, which a passive customer
    hears as an interrogation."""
    return reading.question == "closed" and (asks_several(reading) or reading.closed_run >= CLOSED_RUN)


def closed_run_after(run: int, question: QuestionKind) -> int:
    """The closed questions asked in a row after a message: an open question ends the string, a
    message that asks nothing leaves it as it was."""
    return run + 1 if question == "closed" else 0 if question == "open" else run


def closed_runs(questions: Sequence[QuestionKind]) -> list[int]:
    """For each message, the closed questions asked in a row up to it (0 when it asks none)."""
    runs, run = [], 0
    for question in questions:
        run = closed_run_after(run, question)
        runs.append(run if question == "closed" else 0)
    return runs


def offers_solution(reading: Reading) -> bool:
    return "offer_solution" in reading.acts


@dataclass(frozen=True)
class MoodChange:
    """A change of mood, part by part with the reason for each, stored with the customer's turn."""

    parts: tuple[tuple[int, str], ...]  # (change, why)

    @property
    def delta(self) -> int:
        return sum(change for change, _ in self.parts)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f"{why} ({change:+d})" for change, why in self.parts)


@dataclass(frozen=True)
class Check:
    """One expectation of the temperament, judged over the agent's messages (temperament fit)."""

    kind: EventKind  # what was done well, or (failed) what went wrong
    passed: bool
    points: float  # earned: the share of the expectation that was met
    evidence: int | None  # which of the agent's messages shows it (0 for the first)
    explanation: str


# The rules on one message: (reading, its number among the agent's messages, whether a solution
# was offered before) -> (mood change, reason) pairs.
MessageRules = Callable[[Reading, int, bool], list[tuple[int, str]]]
# The expectations over the conversation: the agent's readings -> checks worth 100 in all.
Expectations = Callable[[Sequence[Reading]], list[Check]]


@dataclass(frozen=True)
class Profile:
    temperament: Temperament
    mood_effects: Mapping[AgentAct, int]
    message_rules: MessageRules
    expectations: Expectations
    # The share of the conversation's words above which the agent dominates it. In a chat the
    # agent writes most of the words (a strong agent writes 65-75%); expressive customers talk
    # most, so the line is lowest with them; aggressive and passive customers answer in a line
    # and analytical ones want explanations.
    max_word_share: float


def _check(
    kind: EventKind,
    failed_kind: EventKind,
    ok: bool,
    points: float,
    evidence: int | None,
    good: str,
    bad: str,
) -> Check:
    return Check(kind if ok else failed_kind, ok, points if ok else 0.0, evidence, good if ok else bad)


def _first(said: Sequence[Reading], test: Callable[[Reading], bool]) -> int | None:
    return next((i for i, reading in enumerate(said) if test(reading)), None)


def _every(
    kind: EventKind,
    failed_kind: EventKind,
    points: float,
    said: Sequence[Reading],
    fault: Callable[[Reading], bool],
    good: str,
    bad: Callable[[Reading], str],
) -> list[Check]:
    """An expectation no message may break: met once, or broken by each message that breaks it
    (a trainer points at every long message, not only the first)."""
    broken = [i for i, reading in enumerate(said) if fault(reading)]
    if not broken:
        return [Check(kind, True, points, None, good)]
    return [Check(failed_kind, False, 0.0, i, bad(said[i])) for i in broken]


# --- aggressive: a quick fix, the bottom line -------------------------------------------------


def _aggressive_rules(reading: Reading, number: int, solution_offered: bool) -> list[tuple[int, str]]:
    rules = []
    if is_long(reading):
        rules.append((-5, "long message"))
    if asks_several(reading):
        rules.append((-3, "several questions at once"))
    if number >= SOLUTION_WITHIN and not solution_offered and not offers_solution(reading):
        rules.append((-4, "still no solution"))
    return rules


def _aggressive_expectations(said: Sequence[Reading]) -> list[Check]:
    longest = max(word_count(r.text) for r in said)
    solution = _first(said, offers_solution)
    return [
        *_every(
            "short_messages",
            "long_message",
            35,
            said,
            is_long,
            f"Your messages kept to the point (the longest had {longest} words).",
            lambda r: (
                f"A message of {word_count(r.text)} words: this customer wants the bottom "
                f"line in {LONG_MESSAGE_WORDS} words or fewer."
            ),
        ),
        _check(
            "solution_soon",
            "solution_late",
            solution is not None and solution < SOLUTION_WITHIN,
            35,
            solution,
            f"You offered a solution within your first {SOLUTION_WITHIN} messages.",
            f"Offer a solution within your first {SOLUTION_WITHIN} messages; this customer wants "
            "a quick fix.",
        ),
        *_every(
            "one_question_at_a_time",
            "several_questions",
            30,
            said,
            asks_several,
            "You asked one question at a time.",
            lambda r: "You asked several questions in one message; ask one at a time.",
        ),
    ]


# --- expressive: warmth, rapport, being heard -------------------------------------------------


def _expressive_rules(reading: Reading, number: int, solution_offered: bool) -> list[tuple[int, str]]:
    return [(-4, "cold, curt reply")] if is_curt(reading) else []


def _expressive_expectations(said: Sequence[Reading]) -> list[Check]:
    warm = [i for i, r in enumerate(said) if is_warm(r)]
    share = min(1.0, len(warm) / len(said) / WARM_SHARE)
    return [
        Check(
            "warmth" if share >= 0.5 else "no_warmth",  # warm in at least half the messages asked
            share >= 0.5,
            60 * share,
            warm[0] if warm else None,
            f"{len(warm)} of your {len(said)} messages were warm (empathy, an apology, thanks).",
        ),
        *_every(
            "no_curt_replies",
            "curt_reply",
            40,
            said,
            is_curt,
            "None of your replies was curt or cold.",
            lambda r: "A short reply with no warmth feels cold to this customer.",
        ),
    ]


# --- passive: gentle open questions, reassurance ----------------------------------------------


def _passive_rules(reading: Reading, number: int, solution_offered: bool) -> list[tuple[int, str]]:
    return [(-2, "a string of closed questions")] if interrogates(reading) else []


def _passive_expectations(said: Sequence[Reading]) -> list[Check]:
    opened = [i for i, r in enumerate(said) if r.question == "open"]
    closed = [i for i, r in enumerate(said) if r.question == "closed"]
    reassuring = _first(said, is_reassuring)
    return [
        _check(
            "gentle_open_questions",
            "few_open_questions",
            bool(opened) and len(opened) >= len(closed),
            40,
            opened[0] if opened else (closed[0] if closed else None),
            "You drew the customer out with open questions.",
            "This customer answers closed questions with a yes or no; ask more open ones.",
        ),
        _check(
            "reassurance",
            "no_reassurance",
            reassuring is not None,
            30,
            reassuring,
            "You reassured the customer.",
            "Reassure this customer ('we'll sort this out').",
        ),
        *_every(
            "no_interrogation",
            "interrogation",
            30,
            said,
            interrogates,
            "You never fired a string of closed questions at them.",
            lambda r: (
                f"Several closed questions in one message, or {CLOSED_RUN} in a row, feel "
                "like an interrogation."
            ),
        ),
    ]


# --- analytical: detail, numbers, reasons -----------------------------------------------------


def _analytical_rules(reading: Reading, number: int, solution_offered: bool) -> list[tuple[int, str]]:
    if not explains(reading):
        return []
    return [(4, "specifics given")] if is_specific(reading) else [(-4, "vague, no numbers or reasons")]


def _analytical_expectations(said: Sequence[Reading]) -> list[Check]:
    explaining = [i for i, r in enumerate(said) if explains(r)]
    clear = [i for i in explaining if not is_vague(said[i])]
    specific = [i for i in explaining if is_specific(said[i])]
    share = len(specific) / len(explaining) if explaining else 0.0
    return [
        _check(
            "explained",
            "no_explanation",
            bool(clear),
            40,
            clear[0] if clear else None,
            "You explained what happened.",
            'Explain what happened and why; this customer wants reasons, not "probably" or "it depends".',
        ),
        Check(
            "specifics" if specific else "no_specifics",
            bool(specific),
            60 * share,
            specific[0] if specific else None,
            f"{len(specific)} of your {len(explaining)} explanations or offers gave numbers or reasons.",
        ),
    ]


_BASE: dict[AgentAct, int] = complete(
    {
        "greet": 1,
        "introduce_self": 1,
        "ask_open_question": 2,
        "ask_closed_question": 0,
        "reflect": 4,
        "apologize": 5,
        "empathize": 3,
        "explain": 2,
        "offer_solution": 8,
        "promise_follow_up": 3,
        "ask_permission": 1,
        "thank": 1,
        "goodbye": 0,
        "argue": -15,
        "out_of_scope": -6,
    },
    AGENT_ACTS,
    "the base mood effects",
)

PROFILES: dict[Temperament, Profile] = complete(
    {
        "aggressive": Profile(
            "aggressive",
            {
                **_BASE,
                "greet": 0,
                "introduce_self": 0,
                "ask_open_question": 1,
                "empathize": 1,
                "apologize": 4,
                "offer_solution": 14,
                "ask_permission": -1,
                "thank": 0,
                "argue": -20,
                "out_of_scope": -8,
            },
            _aggressive_rules,
            _aggressive_expectations,
            max_word_share=0.8,
        ),
        "expressive": Profile(
            "expressive",
            {
                **_BASE,
                "greet": 3,
                "introduce_self": 4,
                "ask_open_question": 4,
                "ask_closed_question": -1,
                "reflect": 8,
                "empathize": 8,
                "apologize": 6,
                "thank": 3,
                "offer_solution": 6,
            },
            _expressive_rules,
            _expressive_expectations,
            max_word_share=0.7,
        ),
        "passive": Profile(
            "passive",
            {
                **_BASE,
                "ask_open_question": 6,
                "ask_closed_question": -2,
                "reflect": 5,
                "empathize": 6,
                "apologize": 5,
                "ask_permission": 3,
                "offer_solution": 7,
                "argue": -12,
            },
            _passive_rules,
            _passive_expectations,
            max_word_share=0.8,
        ),
        "analytical": Profile(
            "analytical",
            {
                **_BASE,
                "greet": 0,
                "empathize": 1,
                "apologize": 3,
                "explain": 6,
                "offer_solution": 7,
                "reflect": 3,
            },
            _analytical_rules,
            _analytical_expectations,
            max_word_share=0.8,
        ),
    },
    TEMPERAMENTS,
    "the temperament profiles",
)


def mood_change(
    temperament: Temperament,
    overrides: Mapping[AgentAct, int],
    reading: Reading,
    number: int,
    solution_offered: bool,
) -> MoodChange:
    """The whole mood change for one agent message: its acts plus the temperament's rules.

    `number` is the message's place among the agent's messages (1 for the first); `overrides`
    are the persona's own numbers per act."""
    profile = PROFILES[temperament]
    effects = {**profile.mood_effects, **overrides}
    acts = [act for act in AGENT_ACTS if act in reading.acts]
    parts: list[tuple[int, str]] = [(effects[act], act) for act in acts if effects[act]]
    parts += profile.message_rules(reading, number, solution_offered)
    return MoodChange(tuple(parts))


def expectations(temperament: Temperament, said: Sequence[Reading]) -> list[Check]:
    """What this temperament expects of the agent's messages, each judged; empty if none sent."""
    return PROFILES[temperament].expectations(said) if said else []
