"""The session log's tables: trainees, persona versions, sessions, turns, messages, scorecards.

SQLAlchemy 1.4 models (queries in `repository.py` are 2.0-style). Tables are prefixed `em_` so
they never clash with the `events` table of Rasa's tracker store in the same database. Times are
the server's, in seconds since the epoch, so interruption checks compare like with like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    false,
)
from sqlalchemy.orm import registry, relationship
from sqlalchemy.orm.decl_api import DeclarativeMeta

mapper_registry = registry()


class Base(metaclass=DeclarativeMeta):
    """The models' base: a plain class, so type checkers see it (SQLAlchemy 1.4's own recipe)."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata

    if TYPE_CHECKING:  # the registry gives every model a constructor taking its columns

        def __init__(self, **columns: Any) -> None: ...


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
    """One practice or assessment session: one conversation of one trainee with one persona."""

    __tablename__ = "em_sessions"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, unique=True)
    trainee_id = Column(Integer, ForeignKey("em_trainees.id"), nullable=True)
    persona_version_id = Column(Integer, ForeignKey("em_persona_versions.id"), nullable=False)
    mode = Column(String(20), nullable=False)  # vocab.Mode
    seed = Column(BigInteger, nullable=False)
    started_at = Column(Float, nullable=False)
    ended_at = Column(Float, nullable=True)
    outcome = Column(String(30), nullable=True)  # vocab.Outcome
    final_mood = Column(Integer, nullable=True)
    # The customer's state (CustomerState.dict()) after the latest turn, written in the same
    # transaction as the turns: the source of truth, ahead of the Rasa slot that copies it.
    customer_state = Column(JSON, nullable=True)
    start_key = Column(String(255), nullable=True)  # the message_key of the message that started it

    trainee = relationship(Trainee)
    persona_version = relationship(PersonaVersion)
    turns = relationship("TurnRow", order_by="TurnRow.index", back_populates="session")
    messages = relationship("MessageRow", order_by="MessageRow.position", back_populates="session")
    scorecard = relationship("ScorecardRow", uselist=False, back_populates="session")


class TurnRow(Base):
    """A speaker's group of messages; a customer turn keeps the mood it left them in and why."""

    __tablename__ = "em_turns"
    __table_args__ = (UniqueConstraint("session_id", "index"),)
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("em_sessions.id"), nullable=False, index=True)
    index = Column(Integer, nullable=False)
    speaker = Column(String(16), nullable=False)  # vocab.Speaker
    ends_at = Column(Float, nullable=False)  # when its last message has arrived
    mood = Column(Integer, nullable=True)  # customer: mood after the turn
    mood_delta = Column(Integer, nullable=True)  # customer: the change the agent's message caused
    mood_reasons = Column(JSON, nullable=True)  # customer: ["apologize (+5)", "long message (-5)"]
    interrupted = Column(Boolean, nullable=False, default=False)  # customer: they were cut off

    session = relationship(TrainingSession, back_populates="turns")


class MessageRow(Base):
    """One message: the agent's (with its detected acts) or one of the customer's."""

    __tablename__ = "em_messages"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        # One row per trainee message however often it is delivered (NULLs never clash).
        UniqueConstraint("session_id", "message_key", name="em_messages_session_message_key_key"),
    )
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("em_sessions.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    turn_index = Column(Integer, nullable=False)
    speaker = Column(String(16), nullable=False)  # vocab.Speaker
    text = Column(Text, nullable=False)
    at = Column(Float, nullable=False)  # sent (agent) or arrived, fully typed (customer)
    acts = Column(JSON, nullable=True)  # agent: [{"act": ..., "confidence": ...}]
    nlu_model = Column(String(100), nullable=True)  # agent: the Rasa model that read it
    fact = Column(String(100), nullable=True)  # customer: the scenario fact it reveals
    message_key = Column(String(255), nullable=True)  # agent: the chat message's id (idempotency key)
    # agent: reached the chat server while the customer simulator was down, so the customer never
    # had the chance to answer it; the scorer does not count it against the trainee's listening.
    delivered_late = Column(Boolean, nullable=False, default=False, server_default=false())

    session = relationship(TrainingSession, back_populates="messages")


class ScorecardRow(Base):
    """The latest scorecard of a session, rewritten after every message while it runs."""

    __tablename__ = "em_scorecards"
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("em_sessions.id"), nullable=False, unique=True)
    overall = Column(Float, nullable=True)  # None: too little to judge
    passed = Column(Boolean, nullable=False)
    rubric_hash = Column(String(64), nullable=False)
    scorecard = Column(JSON, nullable=False)  # Scorecard.json_dict()
    scored_at = Column(Float, nullable=False)

    session = relationship(TrainingSession, back_populates="scorecard")
