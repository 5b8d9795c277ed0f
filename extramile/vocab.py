"""The product's vocabulary, defined once: agent acts, speakers, outcomes, modes, skills, temperaments.

Every other module, the Rasa files (`domain.yml`, `data/rules.yml`), the persona files' reply keys
and `rubric.yml` use these names; `tests/test_consistency.py` fails when any of them disagrees.
A table keyed by one of these vocabularies is checked with `complete()` where it is defined, so a
new act or temperament cannot be added in one place and silently missed in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, TypeVar, get_args

# What an agent's message does: the intents Rasa's NLU predicts for a trainee's message.
AgentAct = Literal[
    "greet",
    "introduce_self",
    "ask_open_question",
    "ask_closed_question",
    "reflect",
    "apologize",
    "empathize",
    "explain",
    "offer_solution",
    "promise_follow_up",
    "ask_permission",
    "thank",
    "goodbye",
    "argue",
    "out_of_scope",
]
AGENT_ACTS: tuple[AgentAct, ...] = get_args(AgentAct)

Speaker = Literal["agent", "customer"]

# How a session ends: the first three are decided by the customer, the last by the trainee.
Outcome = Literal["resolved", "gave_up", "closed_by_agent", "ended_by_trainee"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

Mode = Literal["practice", "assessment"]
MODES: tuple[Mode, ...] = get_args(Mode)

# The skills on the scorecard, in the order it shows them.
Skill = Literal[
    "open_questions",
    "paraphrasing",
    "listening",
    "apologies",
    "first_impression",
    "temperament_fit",
    "proactivity",
    "promises",
]
SKILLS: tuple[Skill, ...] = get_args(Skill)

Temperament = Literal["aggressive", "expressive", "passive", "analytical"]
TEMPERAMENTS: tuple[Temperament, ...] = get_args(Temperament)

# What kind of question a message asks ("none" when it asks nothing).
QuestionKind = Literal["open", "closed", "none"]
# Whether a message apologises: a genuine apology, a non-apology ("sorry you feel that way"), none.
ApologyKind = Literal["apology", "non_apology", "none"]

# The kinds of fix an offer can make; a persona says which of them resolve its problem.
FixKind = Literal[
    "refund", "credit", "replace", "repair", "rebook", "cancel", "waive", "lower_price", "correct",
    "deliver", "compensate",
]  # fmt: skip
FIX_KINDS: tuple[FixKind, ...] = get_args(FixKind)

# Every kind of scorecard event (labels and faults: extramile.scoring.kinds).
EventKind = Literal[
    # open_questions
    "open_question", "closed_question", "fact_uncovered_by_open_question", "fact_uncovered",
    "no_questions",
    # paraphrasing
    "reflection", "missed_reflection", "inaccurate_reflection",
    # listening
    "interruption", "arguing", "dominating_share", "listened",
    # apologies
    "apology", "late_apology", "missed_apology", "non_apology",
    # first_impression (warmth and no_warmth also in temperament_fit)
    "greeting", "no_greeting", "own_name", "no_own_name", "warmth", "no_warmth",
    # temperament_fit
    "short_messages", "long_message", "solution_soon", "solution_late", "one_question_at_a_time",
    "several_questions", "no_curt_replies", "curt_reply", "gentle_open_questions",
    "few_open_questions", "reassurance", "no_reassurance", "no_interrogation", "interrogation",
    "explained", "no_explanation", "specifics", "no_specifics",
    # proactivity
    "next_step", "no_next_steps",
    # promises
    "promise_with_time", "promise_without_time",
]  # fmt: skip
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

Difficulty = Literal["easy", "medium", "hard"]
MoodBand = Literal["low", "mid", "high"]

# Rasa multi-intents join acts with this symbol ("apologize+ask_open_question").
MULTI_ACT_SEPARATOR = "+"

# Commands the chat client sends ("/start_session", "/end_session"); they are not agent acts.
ClientCommand = Literal["start_session", "end_session"]
CLIENT_COMMANDS: tuple[ClientCommand, ...] = get_args(ClientCommand)

# How outcomes read on a page ("The call ended: problem resolved").
OUTCOME_LABELS: dict[Outcome, str] = {
    "resolved": "problem resolved",
    "gave_up": "the customer gave up",
    "closed_by_agent": "closed by the agent",
    "ended_by_trainee": "ended with End chat",
}


def client_command(text: str) -> ClientCommand | None:
    """The command in a message the client sent as "/start_session" or "/end_session", else None.

    Decided on the text, not the predicted intent: a trainee who types "let's begin" mid-session
    is talking to the customer, and that message must be scored and logged like any other."""
    stripped = text.strip()
    for command in CLIENT_COMMANDS:
        if stripped == f"/{command}":
            return command
    return None


def split_intent(intent_name: str) -> tuple[AgentAct, ...]:
    """The agent acts in a (possibly multi-) intent name, in order; client commands give none.

    An unknown part is an error, not dropped: it means the NLU data and this vocabulary disagree."""
    if intent_name in CLIENT_COMMANDS or not intent_name:
        return ()
    acts = []
    for part in intent_name.split(MULTI_ACT_SEPARATOR):
        if part not in AGENT_ACTS:
            raise ValueError(f"intent {intent_name!r} holds {part!r}, which is not an agent act")
        acts.append(part)
    return tuple(acts)


Key = TypeVar("Key")
Table = TypeVar("Table", bound=Mapping)


def complete(table: Table, vocabulary: Iterable[Key], name: str) -> Table:
    """Return `table` if it has exactly one entry per word of `vocabulary`; else raise, naming
    what is missing or extra, so an incomplete table fails at import, not mid-session."""
    wanted = set(vocabulary)
    missing = sorted(str(k) for k in wanted - set(table))
    extra = sorted(str(k) for k in set(table) - wanted)
    if missing or extra:
        raise ValueError(f"{name} must cover the vocabulary exactly; missing {missing}, extra {extra}")
    return table
