"""The transcript the scorer reads: timestamped turns of one session, whatever their source.

Built from the session log (live, after every turn, and when re-scoring) or from a test script;
the scorer never sees Rasa or the database, only this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    """One message. `position` is its place in the session log, the number events refer to."""

    position: int
    speaker: str  # agent | customer
    text: str
    timestamp: float
    acts: tuple[str, ...] = ()
    turn_ends_at: float | None = None  # customer: when their whole turn has arrived
    fact: str | None = None  # customer: the scenario fact this message reveals
    mood: int | None = None  # customer: mood after the turn


@dataclass(frozen=True)
class Transcript:
    persona_id: str
    temperament: str
    turns: tuple[Turn, ...]
    fact_descriptions: tuple[tuple[str, str], ...] = field(default=())

    @property
    def agent_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "agent"]

    def before(self, turn: Turn, count: int = 4) -> list[Turn]:
        """Up to `count` turns before `turn`, oldest first."""
        index = self.turns.index(turn)
        return list(self.turns[max(0, index - count):index])

    def customer_turn_before(self, turn: Turn) -> list[Turn]:
        """The customer's messages of the turn just before this agent message, if any."""
        messages: list[Turn] = []
        for earlier in reversed(self.turns[: self.turns.index(turn)]):
            if earlier.speaker == "customer":
                messages.insert(0, earlier)
            elif messages:
                break
        return messages


def agent_turn_number(turns: Iterable[Turn], turn: Turn) -> int:
    """1 for the agent's first message, 2 for the second, ..."""
    return sum(1 for t in turns if t.speaker == "agent" and t.position <= turn.position)
