"""The customer engine: plays any persona, one agent message at a time.

A pure function of (persona, state, agent message) -> (new state, the customer's turn). The caller
owns the clock and storage; randomness comes from the session's seed, so the same persona, seed and
agent messages always give the same replies. The message arrives already read (its acts are the
one reading of `extramile.reading`, so the customer reacts to what the scorecard credits).

First the engine works out what the message means to this customer (`_understand`): which fact it
asks after, whether it makes sense, whether a paraphrase got a detail wrong, whether an offer fixes
the problem. Then the turn is composed in a fixed order: a protest if the agent typed over the
customer; then either sense ("Sorry, what do you mean?"), the problem fixed, the call closed, or a
reaction to the most salient act followed by the answer (a fact, "I don't know", their details), a
correction, a refused fob-off, giving up, or a nudge when nothing moved. Once a fix is accepted the
call stays open for the agent to check for anything else and close; the customer says goodbye
after a few more messages.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from extramile.detectors.lexicon.words import DAYS_MONTHS
from extramile.detectors.questions import asks_yes_or_no
from extramile.detectors.text import fact_key, figures
from extramile.offers import Verdict, judge
from extramile.personas import Fact, Persona, Replies
from extramile.temperaments import MoodChange, Reading, closed_run_after, mood_change
from extramile.topics import asked_fact, asks_for_details, is_specific, is_unclear
from extramile.vocab import AGENT_ACTS, AgentAct, MoodBand, Outcome, QuestionKind

# Which act the customer reacts to when a message does several things: every act, in order.
SALIENCE: tuple[AgentAct, ...] = (
    "argue", "out_of_scope", "apologize", "reflect", "empathize", "explain", "promise_follow_up",
    "ask_open_question", "ask_closed_question", "ask_permission", "introduce_self", "greet", "thank",
    "goodbye", "offer_solution",
)  # fmt: skip
if sorted(SALIENCE) != sorted(AGENT_ACTS):
    raise ValueError("SALIENCE must rank every agent act exactly once")
QUESTION_ACTS = {"ask_open_question", "ask_closed_question"}
INTERRUPTION_PENALTY = -6
FOB_OFF_PENALTY = -8  # an offer that does not fix it, when they have explained everything
WRONG_DETAIL_PENALTY = -3  # a paraphrase that gets their facts wrong
UNCLEAR_PENALTY = -2
GOODBYE_AFTER_FIX = 3  # agent messages after the fix before the customer closes the call


class DetectedAct(BaseModel):
    act: AgentAct
    confidence: float


class AgentMessage(BaseModel):
    """What the trainee sent: text, its acts (the one reading), and the server's time it arrived.

    `invented` holds the figures a paraphrase in it got wrong (the detectors' finding); such a
    paraphrase is not among its acts."""

    text: str
    acts: tuple[DetectedAct, ...]
    at: float
    invented: tuple[str, ...] = ()

    @property
    def act_names(self) -> tuple[AgentAct, ...]:
        return tuple(a.act for a in self.acts)

    def reading(self, closed_before: int = 0) -> Reading:
        """How the customer reads the message: its acts and the question they ask, after
        `closed_before` closed questions in a row."""
        acts = frozenset(self.act_names)
        question: QuestionKind = (
            "open" if "ask_open_question" in acts else "closed" if "ask_closed_question" in acts else "none"
        )
        run = closed_run_after(closed_before, question)
        return Reading(self.text, acts, question, run if question == "closed" else 0)


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
    fixed: bool = False  # the customer accepted a fix in this turn

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
    closed_run: int = 0  # closed questions the agent has asked in a row
    fixed_at: float | None = None  # when the customer accepted a fix (the call stays open to close)
    since_fix: int = 0  # agent messages since then
    said: list[str] = []  # every line the customer has typed, so none repeats while others are left
    outcome: Outcome | None = None
    turn_ends_at: float = 0.0

    @property
    def fixed(self) -> bool:
        return self.fixed_at is not None


def mood_band(mood: int) -> MoodBand:
    return "low" if mood < 35 else "high" if mood >= 65 else "mid"


def _pick(options: Replies, seed: int, turn: int, purpose: str, said: Sequence[str] = ()) -> list[str]:
    """One alternative, by the seed; an alternative already typed only when all have been."""
    fresh = [option for option in options if not set(option) & set(said)]
    # A string seed is hashed by SHA-512: stable across processes, unlike hash().
    return list(random.Random(f"{seed}:{turn}:{purpose}").choice(fresh or options))


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
    lines = _pick(persona.opening, seed, 0, "opening")
    messages = _schedule(lines, now, persona, typing_scale)
    state = CustomerState(
        persona_id=persona.id,
        persona_hash=persona_hash,
        seed=seed,
        mood=persona.mood.start,
        turn_ends_at=messages[-1].at,
        said=lines,
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


@dataclass(frozen=True)
class Understanding:
    """What one agent message means to this customer, before they decide how to answer."""

    unclear: bool = False
    fact: Fact | None = None  # the fact their answer reveals
    answer: str | None = None  # "dont_know" or "gives_details" when the question is about neither
    passive_closed: bool = False  # a passive customer answering a yes/no question with a bare yes or no
    wrong_detail: str | None = None  # a figure a paraphrase got wrong
    offer: Verdict | None = None  # an offer made once they have explained what is needed
    premature: bool = False  # an offer before they have explained


def _next_fact(persona: Persona, state: CustomerState, acts: frozenset[AgentAct]) -> Fact | None:
    return next(
        (f for f in persona.scenario.facts if f.id not in state.revealed and set(f.revealed_by) & acts),
        None,
    )


def _understand(
    persona: Persona, state: CustomerState, message: AgentMessage, reading: Reading
) -> Understanding:
    acts, text = reading.acts, message.text
    if is_unclear(text):
        return Understanding(unclear=True)
    # A passive customer answers a yes/no question with a bare yes or no; "which depot?" is no
    # yes/no question, and gets an answer or an "I don't know".
    passive_closed = (
        persona.temperament == "passive"
        and reading.question == "closed"
        and asks_yes_or_no(text)
        and not {"reflect", "empathize"} & acts
    )
    fact, answer = None, None
    if reading.question != "none":
        unrevealed = [f for f in persona.scenario.facts if f.id not in state.revealed]
        asked = asked_fact(text, unrevealed)
        if asks_for_details(text):
            answer = "gives_details"
        elif asked is not None:
            fact = None if passive_closed else asked
        elif asked_fact(text, persona.scenario.facts) is not None:
            pass  # about something they have told already: a reaction is answer enough
        elif passive_closed:
            pass  # a bare yes or no
        elif is_specific(text):
            answer = "dont_know"
        else:
            fact = _next_fact(persona, state, acts)
    elif not state.fixed:
        fact = _next_fact(persona, state, acts)
    offer, premature = None, False
    if "offer_solution" in acts and not state.fixed:
        resolution = persona.scenario.resolution
        known = set(state.revealed) | ({fact.id} if fact else set())
        verdict = judge(text, persona)
        needed = set((verdict.fix and verdict.fix.after_facts) or resolution.requires_facts)
        if needed <= known:
            offer = verdict
        else:
            premature = True
    wrong = message.invented[0] if message.invented else None
    return Understanding(
        fact=fact,
        answer=answer,
        passive_closed=passive_closed and answer is None,
        wrong_detail=wrong,
        offer=offer,
        premature=premature,
    )


def _mood(
    persona: Persona, state: CustomerState, reading: Reading, heard: Understanding, interrupted: bool
) -> MoodChange:
    """The mood change: the temperament's, with what this customer made of the message."""
    parts: list[tuple[int, str]] = []
    if heard.unclear:
        parts.append((UNCLEAR_PENALTY, "a message that made no sense"))
    else:
        acts = reading.acts
        # Only an offer that fixes it pleases.
        if "offer_solution" in acts and not (heard.offer and heard.offer.accepted):
            acts = acts - {"offer_solution"}
        changed = Reading(reading.text, acts, reading.question, reading.closed_run)
        parts += mood_change(
            persona.temperament, persona.mood.effects, changed, state.agent_turns + 1, state.solution_offered
        ).parts
        if heard.offer and not heard.offer.accepted:
            parts.append((FOB_OFF_PENALTY, "an offer that does not fix it"))
        if heard.wrong_detail:
            parts.append((WRONG_DETAIL_PENALTY, "got a detail wrong"))
    if interrupted:
        parts.append((INTERRUPTION_PENALTY, "interrupted"))
    return MoodChange(tuple(parts))


def _right_figure(wrong: str, persona: Persona) -> str | None:
    """The customer's own figure a wrong one should have been: the same kind, the nearest."""
    said = " ".join(
        [line for turn in persona.opening for line in turn]
        + [line for fact in persona.scenario.facts for turn in fact.reveal for line in turn]
    )
    theirs = sorted(figures(said))
    if wrong in DAYS_MONTHS:
        return next((f for f in theirs if f in DAYS_MONTHS and f != wrong), None)
    money = wrong[:1] in "£$€"
    candidates = []
    for figure in theirs:
        if figure in DAYS_MONTHS or (figure[:1] in "£$€") != money:
            continue
        try:
            candidates.append((abs(float(fact_key(figure)) - float(fact_key(wrong))), figure))
        except ValueError:
            continue
    return min(candidates)[1] if candidates else None


def _correction(persona: Persona, wrong: str, pick_from: Replies) -> Replies:
    """The persona's corrections that can be said here: with the right figure when it is known."""
    right = _right_figure(wrong, persona)
    lines = Replies()
    for option in pick_from:
        if any("{right}" in line for line in option) and right is None:
            continue
        lines.append([line.format(wrong=wrong, right=right or "") for line in option])
    return lines or Replies([["No, that's not what I said."]])


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
    reading = message.reading(state.closed_run)
    heard = _understand(persona, state, message, reading)
    change = _mood(persona, state, reading, heard, interrupted)
    mood = max(0, min(100, state.mood + change.delta))
    band = mood_band(mood)
    scenario, situations = persona.scenario, persona.situations
    said_so_far = list(state.said)

    def pick(options: Replies, purpose: str) -> list[str]:
        lines = _pick(options, state.seed, turn_no, purpose, said_so_far)
        said_so_far.extend(lines)
        return lines

    accepted = bool(heard.offer and heard.offer.accepted and mood >= scenario.resolution.min_mood)
    since_fix = state.since_fix + 1 if state.fixed else 0
    outcome: Outcome | None = None
    if mood < scenario.escalation.give_up_below and not heard.unclear:
        outcome = "gave_up"
    elif "goodbye" in acts:
        outcome = "resolved" if state.fixed else "closed_by_agent"
    elif state.fixed and since_fix >= GOODBYE_AFTER_FIX:
        outcome = "resolved"  # they have what they came for, and leave

    texts: list[str | tuple[str, str]] = []
    if interrupted:
        texts += pick(situations.interrupted, "interrupted")
    reacted_to = next((a for a in SALIENCE if a in acts and a in persona.replies), None)
    if outcome == "gave_up":
        texts += pick(scenario.escalation.reply, "gave_up")
    elif heard.unclear:
        texts += pick(situations.unclear, "unclear")
    elif outcome == "resolved":
        texts += pick(situations.closing, "closing")
    elif outcome == "closed_by_agent":
        texts += pick(situations.agent_closed, "agent_closed")
    elif accepted:
        texts += pick(scenario.resolution.reply, "resolved")
    elif state.fixed:
        if reacted_to and reading.question == "none":
            texts += pick(persona.replies[reacted_to].for_band(band, said_so_far), reacted_to)
        else:  # asked anything, they have nothing else
            texts += pick(situations.anything_else, "anything_else")
    elif heard.passive_closed and heard.fact is None:
        texts += pick(situations.yes_no_answer, "yes_no")
    else:
        if heard.wrong_detail:
            texts += pick(_correction(persona, heard.wrong_detail, situations.corrected), "corrected")
        elif (
            reacted_to
            and reacted_to != "offer_solution"
            and not (heard.answer is not None and reacted_to in QUESTION_ACTS)
        ):
            # An answer to the question ("How would I know?") is reaction enough to being asked.
            texts += pick(persona.replies[reacted_to].for_band(band, said_so_far), reacted_to)
        if heard.fact is not None:
            texts += [(line, heard.fact.id) for line in pick(heard.fact.reveal, f"fact:{heard.fact.id}")]
        elif heard.answer is not None:
            texts += pick(getattr(situations, heard.answer), heard.answer)
        if heard.premature:
            texts += pick(situations.premature_solution, "premature")
        elif heard.offer is not None and not heard.offer.accepted:
            texts += pick(situations.fob_off, "fob_off")
        elif heard.offer is not None and reacted_to == "offer_solution":
            texts += pick(persona.replies["offer_solution"].for_band(band), "offer_solution")
        elif not texts or (heard.fact is None and heard.answer is None and reacted_to in QUESTION_ACTS):
            texts += pick(situations.nudge, "nudge")

    # A customer who is interrupted finishes typing what they were typing, then answers.
    messages = _schedule(texts, max(message.at, state.turn_ends_at), persona, typing_scale)
    offered = "offer_solution" in acts and not (heard.offer and not heard.offer.accepted)
    new_state = state.copy(
        update={
            "mood": mood,
            "agent_turns": turn_no,
            "revealed": state.revealed + ([heard.fact.id] if heard.fact else []),
            "solution_offered": state.solution_offered or offered,
            "closed_run": closed_run_after(state.closed_run, reading.question),
            "fixed_at": messages[-1].at if accepted else state.fixed_at,
            "since_fix": since_fix,
            "said": said_so_far,
            "outcome": outcome,
            "turn_ends_at": messages[-1].at,
        }
    )
    turn = CustomerTurn(
        messages=messages,
        mood=mood,
        mood_delta=mood - state.mood,
        mood_reasons=change.reasons,
        revealed=heard.fact.id if heard.fact else None,
        outcome=outcome,
        interrupted=interrupted,
        fixed=accepted,
    )
    return new_state, turn


def end_by_trainee(state: CustomerState) -> CustomerState:
    """The trainee ended the chat ("End chat"): the customer says nothing more. A call whose
    problem was fixed ends resolved."""
    if state.outcome is not None:
        raise ValueError(f"the session has already ended ({state.outcome})")
    return state.copy(update={"outcome": "resolved" if state.fixed else "ended_by_trainee"})
