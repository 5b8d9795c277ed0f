"""The session log: trainees, persona versions, sessions and their turns in a SQL database.

SQLAlchemy 1.4 with 2.0-style queries. Tables are prefixed `em_` so they never clash with the
`events` table of Rasa's tracker store in the same database. Timestamps are the server's, in
seconds since the epoch, so interruption checks compare like with like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, relationship

from actions.personas import LoadedPersona

Base = declarative_base()
ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


class Trainee(Base):
    __tablename__ = "em_trainees"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    created_at = Column(Float, nullable=False)


class PersonaVersion(Base):
    """One exact version of a persona file: a session records which one was played."""

    __tablename__ = "em_persona_versions"
    __table_args__ = (UniqueConstraint("persona_id", "content_hash"),)
    id = Column(Integer, primary_key=True)
    persona_id = Column(String(100), nullable=False, index=True)
    content_hash = Column(String(64), nullable=False)
    name = Column(String(200), nullable=False)
    temperament = Column(String(20), nullable=False)
    difficulty = Column(String(20), nullable=False)
    title = Column(String(300), nullable=False)
    content = Column(Text, nullable=False)
    first_played_at = Column(Float, nullable=False)


class TrainingSession(Base):
    __tablename__ = "em_sessions"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, unique=True)
    trainee_id = Column(Integer, ForeignKey("em_trainees.id"), nullable=True)
    persona_version_id = Column(Integer, ForeignKey("em_persona_versions.id"), nullable=False)
    mode = Column(String(20), nullable=False)
    seed = Column(BigInteger, nullable=False)
    started_at = Column(Float, nullable=False)
    ended_at = Column(Float, nullable=True)
    outcome = Column(String(30), nullable=True)
    final_mood = Column(Integer, nullable=True)

    trainee = relationship(Trainee)
    persona_version = relationship(PersonaVersion)
    turns = relationship("Turn", order_by="Turn.position", back_populates="session")
    scorecard = relationship("StoredScorecard", uselist=False, back_populates="session")


class Turn(Base):
    """One message: the agent's (with its detected acts) or one of the customer's."""

    __tablename__ = "em_turns"
    __table_args__ = (UniqueConstraint("session_id", "position"),)
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("em_sessions.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    speaker = Column(String(16), nullable=False)  # agent | customer | system
    text = Column(Text, nullable=False)
    timestamp = Column(Float, nullable=False)
    acts = Column(JSON, nullable=True)  # agent: [{"act": ..., "confidence": ...}]
    mood = Column(Integer, nullable=True)  # customer: mood after this turn
    turn_ends_at = Column(Float, nullable=True)  # customer: when the whole turn has arrived
    fact = Column(String(100), nullable=True)  # customer: the scenario fact this turn revealed

    session = relationship(TrainingSession, back_populates="turns")


class StoredScorecard(Base):
    """The latest scorecard of a session, rewritten after every turn while it runs."""

    __tablename__ = "em_scorecards"
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("em_sessions.id"), nullable=False, unique=True)
    overall = Column(Float, nullable=False)
    passed = Column(Boolean, nullable=False)
    rubric_hash = Column(String(64), nullable=False)
    scorecard = Column(JSON, nullable=False)
    scored_at = Column(Float, nullable=False)

    session = relationship(TrainingSession, back_populates="scorecard")


@dataclass(frozen=True)
class TurnRecord:
    speaker: str
    text: str
    timestamp: float
    acts: list[dict[str, Any]] | None = None
    mood: int | None = None
    turn_ends_at: float | None = None
    fact: str | None = None


def create_db_engine(url: str) -> Engine:
    connect_args = {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def migrate(url: str) -> None:
    """Bring the database schema up to date (Alembic `upgrade head`); safe to repeat."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


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
            persona_id=persona.id, content_hash=loaded.content_hash, name=persona.name,
            temperament=persona.temperament, difficulty=persona.difficulty,
            title=persona.scenario.title, content=loaded.content, first_played_at=now,
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
    mode: str,
    seed: int,
    started_at: float,
) -> TrainingSession:
    """Record a new session (or return the one already recorded for this conversation)."""
    existing = find_session(db, sender_id)
    if existing is not None:
        return existing
    session = TrainingSession(
        sender_id=sender_id,
        trainee=_get_or_create_trainee(db, trainee_name, started_at) if trainee_name else None,
        persona_version=_get_or_create_version(db, loaded, started_at),
        mode=mode, seed=seed, started_at=started_at,
    )
    db.add(session)
    db.flush()
    return session


def add_turns(db: Session, session: TrainingSession, records: Sequence[TurnRecord]) -> None:
    position = db.execute(
        select(func.coalesce(func.max(Turn.position), -1)).where(Turn.session_id == session.id)
    ).scalar_one()
    for record in records:
        position += 1
        db.add(Turn(session_id=session.id, position=position, **record.__dict__))
    db.flush()


def end_session(
    db: Session, session: TrainingSession, outcome: str, ended_at: float, final_mood: int
) -> None:
    session.outcome, session.ended_at, session.final_mood = outcome, ended_at, final_mood
    db.flush()


def save_scorecard(
    db: Session, session: TrainingSession, scorecard: dict[str, Any], scored_at: float
) -> None:
    stored = session.scorecard or StoredScorecard(session=session)
    stored.overall, stored.passed = scorecard["overall"], scorecard["passed"]
    stored.rubric_hash, stored.scorecard, stored.scored_at = (
        scorecard["rubric_hash"], scorecard, scored_at)
    db.add(stored)
    db.flush()


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds")


def session_report(session: TrainingSession) -> dict[str, Any]:
    """The session as plain data: who, which persona version, outcome and every turn."""
    version = session.persona_version
    return {
        "sender_id": session.sender_id,
        "persona": {"id": version.persona_id, "name": version.name,
                    "temperament": version.temperament, "content_hash": version.content_hash},
        "trainee": session.trainee.name if session.trainee else None,
        "mode": session.mode,
        "seed": session.seed,
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
        "outcome": session.outcome,
        "final_mood": session.final_mood,
        "scorecard": session.scorecard.scorecard if session.scorecard else None,
        "turns": [
            {"position": t.position, "speaker": t.speaker, "text": t.text,
             "timestamp": iso(t.timestamp), "acts": t.acts, "mood": t.mood}
            for t in session.turns
        ],
    }

