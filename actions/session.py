"""One step of a practice session: from the trainee's message to what the trainee sees next.

Plain Python between the Rasa action and the rest: reads the session's metadata, starts the
session or plays the customer's next turn, and writes everything to the session log. Problems the
trainee can fix (no session, an unknown persona, an empty message) come back as notices, never as
crashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from actions import customer, scoring, storage
from actions.customer import AgentMessage, CustomerState, CustomerTurn
from actions.personas import LoadedPersona, load_personas, parse_persona
from actions.rubric import Rubric
from actions.scoring import Labeler

OUTCOME_NOTICES = {
    "resolved": "The customer's problem is resolved. The session has ended.",
    "gave_up": "The customer gave up. The session has ended.",
    "closed_by_agent": "You closed the conversation. The session has ended.",
    "ended_by_trainee": "You ended the chat. The session has ended.",
}


class SessionMetadata(BaseModel):
    """What the chat client sends with the first message of a session."""

    persona: str = Field(..., min_length=1)
    trainee: str | None = Field(None, max_length=200)
    mode: Literal["practice", "assessment"] = "practice"
    seed: int | None = Field(None, ge=0, le=2**63 - 1)


@dataclass
class Step:
    """What one trainee message produced: the customer's turn and/or notices, and the new state."""

    state: CustomerState | None
    customer_turn: CustomerTurn | None = None
    notices: list[str] = field(default_factory=list)
    hint: str | None = None  # practice mode only: coaching on the latest message


def seed_for(sender_id: str) -> int:
    """A stable seed per conversation, used when the client does not choose one."""
    return int(hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8], 16)


def _metadata_problem(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    )
    return (
        f"The session could not start: {problems}. Send the first message with metadata "
        '{"persona": "<persona id>", "trainee": "<your name>", "mode": "practice" or "assessment"}.'
    )


class PracticeSessions:
    """Plays sessions against the personas in a folder and logs them in a database."""

    def __init__(
        self,
        db: Engine,
        personas_dir: Path,
        rubric: Rubric,
        label: Labeler,
        typing_scale: float = 1.0,
    ):
        self.db = db
        self.personas_dir = personas_dir
        self.rubric = rubric
        self.label = label
        self.typing_scale = typing_scale
        self._by_hash: dict[str, LoadedPersona] = {}
        self._personas: dict[str, LoadedPersona] = {}
        self._personas_signature: tuple = ()

    def step(
        self,
        sender_id: str,
        metadata: Mapping[str, Any],
        message: AgentMessage,
        state: Mapping[str, Any] | None,
        missed: Sequence[AgentMessage] = (),
        starts_session: bool = False,
        ends_session: bool = False,
    ) -> Step:
        """Handle one trainee message (and any that arrived while the simulator was down).

        `starts_session` and `ends_session` mark the chat client's commands, not agent messages."""
        with Session(self.db, future=True) as db, db.begin():
            if state is None and ends_session:
                return Step(None, notices=["No practice session is under way, so there is nothing to end."])
            if state is None:
                return self._start(db, sender_id, metadata, message, starts_session)
            session = storage.find_session(db, sender_id)
            if session is None:  # the log was wiped under a live conversation
                return Step(None, notices=[
                    "This conversation's session log is missing. Start a new session to practise."
                ])
            storage.add_turns(db, session, [_agent_record(m) for m in missed])
            customer_state = CustomerState.parse_obj(state)
            if ends_session:
                return self._end(db, session, customer_state, message)
            return self._continue(db, session, customer_state, message, starts_session)

    def personas(self) -> dict[str, LoadedPersona]:
        """The valid personas in the folder, parsed again only when a file changes."""
        paths = sorted(self.personas_dir.glob("*.yml"))
        signature = tuple((path, path.stat().st_mtime_ns) for path in paths)
        if signature != self._personas_signature:
            self._personas, _problems = load_personas(paths)
            self._personas_signature = signature
        return self._personas

    def _start(
        self,
        db: Session,
        sender_id: str,
        metadata: Mapping[str, Any],
        message: AgentMessage,
        starts_session: bool,
    ) -> Step:
        personas = self.personas()
        valid_ids = ", ".join(sorted(personas)) or "(none: check the persona files)"
        if not metadata or "persona" not in metadata:
            return Step(None, notices=[
                "No practice session has started yet. Start one by sending your first message "
                'with metadata {"persona": "<persona id>", "trainee": "<your name>", '
                f'"mode": "practice"}}. Personas: {valid_ids}.'
            ])
        try:
            meta = SessionMetadata.parse_obj(metadata)
        except ValidationError as error:
            return Step(None, notices=[_metadata_problem(error)])
        loaded = personas.get(meta.persona)
        if loaded is None:
            return Step(None, notices=[
                f"There is no customer called '{meta.persona}'. Choose one of: {valid_ids}."
            ])
        seed = meta.seed if meta.seed is not None else seed_for(sender_id)
        state, opening = customer.open_session(
            loaded.persona, loaded.content_hash, seed, message.timestamp, self.typing_scale
        )
        session = storage.start_session(
            db, sender_id=sender_id, trainee_name=meta.trainee, loaded=loaded,
            mode=meta.mode, seed=seed, started_at=message.timestamp,
        )
        # A first message with real text is kept: the log loses nothing the trainee typed.
        records = [] if starts_session or not message.text.strip() else [_agent_record(message)]
        storage.add_turns(db, session, records + _customer_records(opening))
        self._by_hash[loaded.content_hash] = loaded
        return Step(state, customer_turn=opening)

    def _continue(
        self,
        db: Session,
        session: storage.TrainingSession,
        state: CustomerState,
        message: AgentMessage,
        starts_session: bool,
    ) -> Step:
        if starts_session:
            return Step(state, notices=["Your session is already under way: reply to the customer."])
        if not message.text.strip():
            return Step(state, notices=["Your message was empty. Type a reply to the customer."])
        if state.outcome is not None:
            storage.add_turns(db, session, [_agent_record(message)])
            return Step(state, notices=[
                OUTCOME_NOTICES[state.outcome] + " Start a new session to practise again."
            ])
        loaded = self._persona_version(session)
        new_state, turn = customer.respond(loaded.persona, state, message, self.typing_scale)
        storage.add_turns(db, session, [_agent_record(message)] + _customer_records(turn))
        notices = []
        if turn.outcome is not None:
            storage.end_session(db, session, turn.outcome, turn.ends_at, turn.mood)
            notices.append(OUTCOME_NOTICES[turn.outcome])
        scorecard = self._score(db, session, loaded, scored_at=message.timestamp)
        latest = max(t.position for t in session.turns if t.speaker == "agent")
        hint = scoring.hint_for(scorecard, latest) if session.mode == "practice" else None
        return Step(new_state, customer_turn=turn, notices=notices, hint=hint)

    def _end(
        self, db: Session, session: storage.TrainingSession, state: CustomerState, message: AgentMessage
    ) -> Step:
        """The trainee pressed "End chat": close the session and score it as it stands."""
        if state.outcome is not None:
            return Step(state, notices=[OUTCOME_NOTICES[state.outcome]])
        new_state = customer.end_by_trainee(state)
        storage.end_session(db, session, "ended_by_trainee", message.timestamp, state.mood)
        self._score(db, session, self._persona_version(session), scored_at=message.timestamp)
        return Step(new_state, notices=[OUTCOME_NOTICES["ended_by_trainee"]])

    def _score(
        self, db: Session, session: storage.TrainingSession, loaded: LoadedPersona, scored_at: float
    ) -> dict[str, Any]:
        db.expire(session, ["turns"])
        scorecard = scoring.score_session(session, loaded.persona, self.rubric, self.label)
        storage.save_scorecard(db, session, scorecard, scored_at=scored_at)
        return scorecard

    def _persona_version(self, session: storage.TrainingSession) -> LoadedPersona:
        """The exact persona version this session started with, even if the file changed since."""
        version = session.persona_version
        if version.content_hash not in self._by_hash:
            path = self.personas_dir / f"{version.persona_id}.yml"
            self._by_hash[version.content_hash] = parse_persona(version.content, path)
        return self._by_hash[version.content_hash]


def _agent_record(message: AgentMessage) -> storage.TurnRecord:
    return storage.TurnRecord(
        speaker="agent", text=message.text, timestamp=message.timestamp,
        acts=[a.dict() for a in message.acts],
    )


def _customer_records(turn: CustomerTurn) -> list[storage.TurnRecord]:
    return [
        storage.TurnRecord(speaker="customer", text=m.text, timestamp=m.at, mood=turn.mood,
                           turn_ends_at=turn.ends_at, fact=m.fact)
        for m in turn.messages
    ]
