"""The customer engine: plays any persona, one agent message at a time.

A pure function of (persona, state, agent message) -> (new state, the customer's turn). The caller
owns the clock and storage; randomness comes from the session's seed, so the same persona, seed and
agent messages always give the same replies.

A turn is composed in a fixed order: a protest if the agent typed over the customer, one reaction to
the most salient act at the current mood, the next fact the agent's act unlocks, and then whatever
the turn decides: the problem resolved, the customer giving up, the agent closing, a solution offered
too early, or a nudge when nothing moved.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import BaseModel

from extramile.personas import Persona, Replies
from extramile.temperaments import MoodChange, Reading, mood_change
from extramile.vocab import AGENT_ACTS, AgentAct, MoodBand, Outcome, QuestionKind

# Which act the customer reacts to when a message does several things: every act, in order.
SALIENCE: tuple[AgentAct, ...] = (
    "argue",
    "out_of_scope",
    "apologize",
    "reflect",
    "empathize",
    "explain",
    "promise_follow_up",
    "ask_open_question",
    "ask_closed_question",
    "ask_permission",
    "introduce_self",
    "greet",
    "thank",
    "goodbye",
    "offer_solution",
)
if sorted(SALIENCE) != sorted(AGENT_ACTS):
    raise ValueError("SALIENCE must rank every agent act exactly once")
QUESTION_ACTS = {"ask_open_question", "ask_closed_question"}
INTERRUPTION_PENALTY = -6


class DetectedAct(BaseModel):
    act: AgentAct
    confidence: float


class AgentMessage(BaseModel):
    """What the trainee sent: text, the acts NLU found in it, and the server's time it arrived."""

    text: str
    acts: tuple[DetectedAct, ...]
    at: float

    @property
    def act_names(self) -> tuple[AgentAct, ...]:
        return tuple(a.act for a in self.acts)

    def reading(self) -> Reading:
        """How the customer reads the message: the NLU's acts and the question they ask."""
        acts = frozenset(self.act_names)
        question: QuestionKind = (
            "open" if "ask_open_question" in acts else "closed" if "ask_closed_question" in acts else "none"
        )
        return Reading(self.text, acts, question)


class CustomerMessage(BaseModel):
    text: str
    at: float  # when the message has been typed and arrives, in server time
    fact: str | None = None  # the scenario fact this message reveals


class CustomerTurn(BaseModel):
    messages: list[CustomerMessage]
    mood: int
    mood_delta: int
    mood_reasons: tuple[str, ...]
    revealed: str | None
    outcome: Outcome | None
    interrupted: bool

    @property
    def ends_at(self) -> float:
        return self.messages[-1].at


class CustomerState(BaseModel):
    """Everything the engine remembers between turns; stored in a Rasa slot as a dict."""

    persona_id: str
    persona_hash: str
    seed: int
    mood: int
    agent_turns: int = 0
    revealed: list[str] = []
    solution_offered: bool = False
    outcome: Outcome | None = None
    turn_ends_at: float = 0.0


def mood_band(mood: int) -> MoodBand:
    return "low" if mood < 35 else "high" if mood >= 65 else "mid"


def _pick(options: Replies, seed: int, turn: int, purpose: str) -> list[str]:
    # A string seed is hashed by SHA-512: stable across processes, unlike hash().
    return list(random.Random(f"{seed}:{turn}:{purpose}").choice(options))


def _schedule(
    messages: Sequence[str | tuple[str, str]], start: float, persona: Persona, typing_scale: float
) -> list[CustomerMessage]:
    """Timestamps at which each message, typed at the persona's pace, arrives.

    A message is its text, or (text, fact id) when it reveals a fact."""
    scheduled, at = [], start
    for message in messages:
        text, fact = (message, None) if isinstance(message, str) else message
        at += typing_scale * (persona.typing.pause_seconds + len(text) / persona.typing.chars_per_second)
        scheduled.append(CustomerMessage(text=text, at=round(at, 3), fact=fact))
    return scheduled


def open_session(
    persona: Persona, persona_hash: str, seed: int, now: float, typing_scale: float = 1.0
) -> tuple[CustomerState, CustomerTurn]:
    """The customer's opening turn: they speak first."""
    messages = _schedule(_pick(persona.opening, seed, 0, "opening"), now, persona, typing_scale)
    state = CustomerState(
        persona_id=persona.id,
        persona_hash=persona_hash,
        seed=seed,
        mood=persona.mood.start,
        turn_ends_at=messages[-1].at,
    )
    turn = CustomerTurn(
        messages=messages,
        mood=state.mood,
        mood_delta=0,
        mood_reasons=(),
        revealed=None,
        outcome=None,
        interrupted=False,
    )
    return state, turn


def _next_fact(persona: Persona, state: CustomerState, acts: Sequence[str]) -> str | None:
    for fact in persona.scenario.facts:
        if fact.id not in state.revealed and set(fact.revealed_by).intersection(acts):
            return fact.id
    return None


def _decide_outcome(
    persona: Persona, revealed: Sequence[str], mood: int, acts: Sequence[str]
) -> Outcome | None:
    resolution = persona.scenario.resolution
    if (
        "offer_solution" in acts
        and set(resolution.requires_facts) <= set(revealed)
        and mood >= resolution.min_mood
    ):
        return "resolved"
    if mood < persona.scenario.escalation.give_up_below:
        return "gave_up"
    if "goodbye" in acts:
        return "closed_by_agent"
    return None


def respond(
    persona: Persona,
    state: CustomerState,
    message: AgentMessage,
    typing_scale: float = 1.0,
) -> tuple[CustomerState, CustomerTurn]:
    """The customer's turn in reply to one agent message, and the state after it."""
    if state.outcome is not None:
        raise ValueError(f"the session has already ended ({state.outcome})")
    turn_no = state.agent_turns + 1
    acts = message.act_names
    interrupted = message.at < state.turn_ends_at

    change: MoodChange = mood_change(
        persona.temperament,
        persona.mood.effects,
        message.reading(),
        turn_no,
        state.solution_offered,
    )
    delta = change.delta + (INTERRUPTION_PENALTY if interrupted else 0)
    reasons = change.reasons + ((f"interrupted ({INTERRUPTION_PENALTY:+d})",) if interrupted else ())
    mood = max(0, min(100, state.mood + delta))
    band = mood_band(mood)

    def pick(options: Replies, purpose: str) -> list[str]:
        return _pick(options, state.seed, turn_no, purpose)

    scenario, said = persona.scenario, persona.situations
    passive_closed = (
        persona.temperament == "passive"
        and "ask_closed_question" in acts
        and not {"ask_open_question", "reflect", "empathize"}.intersection(acts)
    )
    fact_id = None if passive_closed else _next_fact(persona, state, acts)
    revealed = state.revealed + ([fact_id] if fact_id else [])
    outcome = _decide_outcome(persona, revealed, mood, acts)

    texts: list[str | tuple[str, str]] = []
    if interrupted:
        texts += pick(said.interrupted, "interrupted")
    reacted_to = next((a for a in SALIENCE if a in acts and a in persona.replies), None)
    if outcome == "resolved":
        texts += pick(scenario.resolution.reply, "resolved")
    elif outcome == "closed_by_agent":
        texts += pick(said.agent_closed, "agent_closed")
    elif passive_closed:
        texts += pick(said.yes_no_answer, "yes_no")
    else:
        if reacted_to and reacted_to != "offer_solution":
            texts += pick(persona.replies[reacted_to].for_band(band), reacted_to)
        if fact_id and outcome is None:
            texts += [(text, fact_id) for text in pick(persona.fact(fact_id).reveal, f"fact:{fact_id}")]
        if outcome == "gave_up":
            texts += pick(scenario.escalation.reply, "gave_up")
        elif "offer_solution" in acts:
            texts += pick(said.premature_solution, "premature")
        elif not fact_id and (reacted_to is None or reacted_to in QUESTION_ACTS):
            texts += pick(said.nudge, "nudge")

    # A customer who is interrupted finishes typing what they were typing, then answers.
    messages = _schedule(texts, max(message.at, state.turn_ends_at), persona, typing_scale)
    new_state = state.copy(
        update={
            "mood": mood,
            "agent_turns": turn_no,
            "revealed": revealed,
            "solution_offered": state.solution_offered or "offer_solution" in acts,
            "outcome": outcome,
            "turn_ends_at": messages[-1].at,
        }
    )
    turn = CustomerTurn(
        messages=messages,
        mood=mood,
        mood_delta=mood - state.mood,
        mood_reasons=reasons,
        revealed=fact_id,
        outcome=outcome,
        interrupted=interrupted,
    )
    return new_state, turn


def end_by_trainee(state: CustomerState) -> CustomerState:
    """The trainee ended the chat ("End chat"): the customer says nothing more."""
    if state.outcome is not None:
        raise ValueError(f"the session has already ended ({state.outcome})")
    return state.copy(update={"outcome": "ended_by_trainee"})
