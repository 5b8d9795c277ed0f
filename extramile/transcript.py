"""A conversation as the scorer and the detectors read it: messages grouped into turns.

A *message* is one line one speaker sent; a *turn* is a speaker's group of messages in a row (the
customer often types two or three). Built from the session log (live, after every message, and
when re-scoring), from a JSON transcript a trainer supplies, or from a test; the scorer never sees
Rasa or the database, only this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extramile.vocab import AgentAct, Mode, Outcome, Speaker, Temperament


@dataclass(frozen=True)
class Message:
    """One message. `position` is its place in the session log: the number events refer to."""

    position: int
    turn: int  # the index of the turn it belongs to
    speaker: Speaker
    text: str
    at: float  # server time: sent (agent) or arrived, fully typed (customer)
    acts: tuple[AgentAct, ...] = ()  # agent: the dialogue acts the NLU found
    fact: str | None = None  # customer: the scenario fact this message reveals
    # agent: it reached the chat server while the customer simulator was down, so the customer
    # never saw it arrive and could not answer it (an outage, not the trainee's doing)
    missed: bool = False


@dataclass(frozen=True)
class Turn:
    """A speaker's group of messages. A customer turn carries the mood it left the customer in."""

    index: int
    speaker: Speaker
    ends_at: float  # when its last message has arrived
    mood: int | None = None
    mood_delta: int | None = None
    mood_reasons: tuple[str, ...] = ()
    interrupted: bool = False  # customer: the agent's message before it cut them off


@dataclass(frozen=True)
class Transcript:
    persona_id: str
    temperament: Temperament
    messages: tuple[Message, ...]
    turns: tuple[Turn, ...]
    facts: tuple[tuple[str, str], ...] = field(default=())  # (fact id, description)
    mode: Mode = "practice"
    outcome: Outcome | None = None  # None: the session is still under way

    def __post_init__(self) -> None:
        known = {t.index for t in self.turns}
        used = {m.turn for m in self.messages}
        if used != known:
            raise ValueError(
                f"messages refer to turns {sorted(used - known)} the transcript lacks, "
                f"and turns {sorted(known - used)} have no messages"
            )

    @property
    def agent_messages(self) -> list[Message]:
        return [m for m in self.messages if m.speaker == "agent"]

    def turn(self, index: int) -> Turn:
        return next(t for t in self.turns if t.index == index)

    def before(self, message: Message, count: int) -> list[Message]:
        """Up to `count` messages before `message` in the log, oldest first."""
        index = self.messages.index(message)
        return list(self.messages[max(0, index - count) : index])

    def customer_turn_before(self, message: Message) -> Turn | None:
        """The customer's turn just before this agent message in the log, if any."""
        for earlier in reversed(self.messages[: self.messages.index(message)]):
            if earlier.speaker == "customer":
                return self.turn(earlier.turn)
        return None

    def interruption(self, message: Message) -> float | None:
        """How many seconds before the customer's turn had finished arriving this agent message
        was sent, or None when it did not cut the customer off. A missed message cut no one off:
        the customer never saw it while typing."""
        if message.missed:
            return None
        before = self.customer_turn_before(message)
        if before is None or message.at >= before.ends_at:
            return None
        return before.ends_at - message.at

    def messages_of(self, turn: Turn) -> list[Message]:
        return [m for m in self.messages if m.turn == turn.index]

    def agent_number(self, message: Message) -> int:
        """1 for the agent's first message, 2 for the second, ..."""
        return sum(1 for m in self.agent_messages if m.position <= message.position)
