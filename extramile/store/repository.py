"""Reading and writing the session log; the store hands the scorer a `Transcript`, never a row.

All queries are SQLAlchemy 2.0-style and run on 1.4. The caller owns the database session and its
transaction, so one trainee message is written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from extramile.personas import LoadedPersona, Persona
from extramile.scoring.scorecard import Scorecard
from extramile.store.models import (
    MessageRow,
    PersonaVersion,
    ScorecardRow,
    Trainee,
    TrainingSession,
    TurnRow,
)
from extramile.transcript import Message, Transcript, Turn
from extramile.vocab import AgentAct, Mode, Outcome, Speaker


@dataclass(frozen=True)
class NewMessage:
    text: str
    at: float
    acts: tuple[dict[str, Any], ...] = ()  # agent: [{"act": ..., "confidence": ...}]
    nlu_model: str | None = None
    fact: str | None = None
    key: str | None = None  # agent: the chat message's idempotency key
    delivered_late: bool = False  # agent: reached the server while the simulator was down


@dataclass(frozen=True)
class NewTurn:
    """A speaker's group of messages to log, with what the customer's turn did to their mood."""

    speaker: Speaker
    messages: Sequence[NewMessage]
    mood: int | None = None
    mood_delta: int | None = None
    mood_reasons: tuple[str, ...] = field(default=())
    interrupted: bool = False


def create_db_engine(url: str) -> Engine:
    connect_args = {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def _get_or_create_trainee(db: Session, name: str, now: float) -> Trainee:
    trainee = db.execute(select(Trainee).where(Trainee.name == name)).scalar_one_or_none()
    if trainee is None:
        trainee = Trainee(name=name, created_at=now)
        db.add(trainee)
        db.flush()
    return trainee


def _get_or_create_version(db: Session, loaded: LoadedPersona, now: float) -> PersonaVersion:
    version = db.execute(
        select(PersonaVersion).where(
            PersonaVersion.persona_id == loaded.persona.id,
            PersonaVersion.content_hash == loaded.content_hash,
        )
    ).scalar_one_or_none()
    if version is None:
        persona = loaded.persona
        version = PersonaVersion(
            persona_id=persona.id,
            content_hash=loaded.content_hash,
            name=persona.name,
            temperament=persona.temperament,
            difficulty=persona.difficulty,
            title=persona.scenario.title,
            content=loaded.content,
            first_played_at=now,
        )
        db.add(version)
        db.flush()
    return version


def find_session(db: Session, sender_id: str) -> TrainingSession | None:
    return db.execute(
        select(TrainingSession).where(TrainingSession.sender_id == sender_id)
    ).scalar_one_or_none()


def start_session(
    db: Session,
    *,
    sender_id: str,
    trainee_name: str | None,
    loaded: LoadedPersona,
    mode: Mode,
    seed: int,
    started_at: float,
    start_key: str | None = None,
) -> TrainingSession:
    """Record a new session (or return the one already recorded for this conversation)."""
    existing = find_session(db, sender_id)
    if existing is not None:
        return existing
    session = TrainingSession(
        sender_id=sender_id,
        trainee=_get_or_create_trainee(db, trainee_name, started_at) if trainee_name else None,
        persona_version=_get_or_create_version(db, loaded, started_at),
        mode=mode,
        seed=seed,
        started_at=started_at,
        start_key=start_key,
    )
    db.add(session)
    db.flush()
    return session


def add_turns(db: Session, session: TrainingSession, turns: Sequence[NewTurn]) -> None:
    """Append turns and their messages; an agent turn right after an agent turn joins it."""
    last = db.execute(
        select(TurnRow).where(TurnRow.session_id == session.id).order_by(TurnRow.index.desc()).limit(1)
    ).scalar_one_or_none()
    position = db.execute(
        select(func.coalesce(func.max(MessageRow.position), -1)).where(MessageRow.session_id == session.id)
    ).scalar_one()
    for turn in turns:
        if not turn.messages:
            continue
        ends_at = max(m.at for m in turn.messages)
        if last is not None and last.speaker == turn.speaker == "agent":
            last.ends_at = max(last.ends_at, ends_at)  # messages sent in a row are one turn
        else:
            last = TurnRow(
                session_id=session.id,
                index=last.index + 1 if last is not None else 0,
                speaker=turn.speaker,
                ends_at=ends_at,
                mood=turn.mood,
                mood_delta=turn.mood_delta,
                mood_reasons=list(turn.mood_reasons) if turn.speaker == "customer" else None,
                interrupted=turn.interrupted,
            )
            db.add(last)
        for message in turn.messages:
            position += 1
            db.add(
                MessageRow(
                    session_id=session.id,
                    position=position,
                    turn_index=last.index,
                    speaker=turn.speaker,
                    text=message.text,
                    at=message.at,
                    acts=list(message.acts) if turn.speaker == "agent" else None,
                    nlu_model=message.nlu_model,
                    fact=message.fact,
                    message_key=message.key,
                    delivered_late=message.delivered_late,
                )
            )
    db.flush()
    # The rows were added by id, not through the relationships: reload them when next read.
    db.expire(session, ["messages", "turns"])


def save_customer_state(db: Session, session: TrainingSession, state: dict[str, Any]) -> None:
    """Keep the customer's state after this message's turns, in the same transaction."""
    session.customer_state = state
    db.flush()


def logged_keys(db: Session, session: TrainingSession, keys: Iterable[str | None]) -> set[str]:
    """Which of these message keys the session's log already holds."""
    wanted = {k for k in keys if k is not None}
    if not wanted:
        return set()
    found = db.execute(
        select(MessageRow.message_key).where(
            MessageRow.session_id == session.id, MessageRow.message_key.in_(wanted)
        )
    ).scalars()
    return set(found) | ({session.start_key} & wanted)


def reply_to(session: TrainingSession, key: str) -> tuple[TurnRow, list[MessageRow]] | None:
    """The customer's turn that answered the message with this key (the opening, for the message
    that started the session), with its messages; None if the customer did not answer it."""
    if key == session.start_key:
        after = -1  # the opening follows the start, after any message typed with it
    else:
        agent = next((m for m in session.messages if m.message_key == key), None)
        if agent is None:
            return None
        after = agent.turn_index
    # Agent messages in a row are one turn, so the answer is the turn right after the agent's.
    turn = next((t for t in session.turns if t.index > after and t.speaker == "customer"), None)
    if turn is None or (key != session.start_key and turn.index != after + 1):
        return None
    return turn, [m for m in session.messages if m.turn_index == turn.index]


def end_session(
    db: Session, session: TrainingSession, outcome: Outcome, ended_at: float | None, final_mood: int
) -> None:
    """Record the outcome; `ended_at` None while the call stays open after the problem is fixed."""
    session.outcome, session.ended_at, session.final_mood = outcome, ended_at, final_mood
    db.flush()


def save_scorecard(db: Session, session: TrainingSession, scorecard: Scorecard, scored_at: float) -> None:
    stored = session.scorecard or ScorecardRow(session=session)
    stored.overall = scorecard.overall
    stored.passed = scorecard.passed
    stored.rubric_hash = scorecard.versions.rubric
    stored.scorecard = scorecard.json_dict()
    stored.scored_at = scored_at
    db.add(stored)
    db.flush()


def stored_scorecard(session: TrainingSession) -> Scorecard | None:
    return Scorecard.parse_obj(session.scorecard.scorecard) if session.scorecard else None


def load_transcript(session: TrainingSession, persona: Persona) -> Transcript:
    """The scorer's view of a logged session: the conversation until the customer's last word.

    Messages the trainee sends after a session has ended are kept in the log but are not part of
    the conversation, so they are not scored; nor is what the customer was still typing when the
    trainee ended the chat."""
    rows = list(session.messages)
    if session.outcome == "ended_by_trainee":
        rows = [m for m in rows if m.at <= session.ended_at]
    elif session.outcome is not None:
        last_word = max((m.position for m in rows if m.speaker == "customer"), default=-1)
        rows = [m for m in rows if m.position <= last_word]
    used = {m.turn_index for m in rows}
    messages = tuple(
        Message(
            position=m.position,
            turn=m.turn_index,
            speaker=m.speaker,
            text=m.text,
            at=m.at,
            acts=_acts(m.acts),
            fact=m.fact,
            missed=m.delivered_late,
        )
        for m in rows
    )
    turns = tuple(
        Turn(
            index=t.index,
            speaker=t.speaker,
            ends_at=t.ends_at,
            mood=t.mood,
            mood_delta=t.mood_delta,
            mood_reasons=tuple(t.mood_reasons or ()),
            interrupted=t.interrupted,
        )
        for t in session.turns
        if t.index in used
    )
    return Transcript(
        persona_id=persona.id,
        temperament=persona.temperament,
        messages=messages,
        turns=turns,
        facts=tuple((f.id, f.description) for f in persona.scenario.facts),
        mode=session.mode,
        outcome=session.outcome,
    )


def nlu_models(session: TrainingSession) -> list[str]:
    """The Rasa models that read the agent's messages of a session."""
    return sorted({m.nlu_model for m in session.messages if m.nlu_model})


def _acts(stored: list[dict[str, Any]] | None) -> tuple[AgentAct, ...]:
    return tuple(a["act"] for a in stored or ())


def scored_sessions(db: Session, sender_ids: Sequence[str] = ()) -> Iterator[TrainingSession]:
    """Sessions with a scorecard (all, or these), with their messages, turns and persona version."""
    query = (
        select(TrainingSession)
        .join(ScorecardRow)
        .options(
            selectinload(TrainingSession.messages),
            selectinload(TrainingSession.turns),
            selectinload(TrainingSession.scorecard),
            selectinload(TrainingSession.persona_version),
        )
        .order_by(TrainingSession.id)
    )
    if sender_ids:
        query = query.where(TrainingSession.sender_id.in_(sender_ids))
    yield from db.execute(query).scalars()
