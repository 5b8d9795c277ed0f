"""Sessions as plain data for people and programs: the JSON the API sends and the tools print.

`session_report` is one whole session (who, which persona version, outcome, every turn and
message, the scorecard); `session_summaries` lists sessions in one query, without their messages;
`chat_history` is what the chat widget needs to resume after a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extramile.store.models import PersonaVersion, ScorecardRow, Trainee, TrainingSession


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds")


def _persona(version: PersonaVersion) -> dict[str, Any]:
    return {
        "id": version.persona_id,
        "name": version.name,
        "temperament": version.temperament,
        "content_hash": version.content_hash,
    }


def session_report(session: TrainingSession) -> dict[str, Any]:
    """The session as plain data: who, which persona version, outcome, turns, messages, scorecard."""
    return {
        "sender_id": session.sender_id,
        "persona": _persona(session.persona_version),
        "trainee": session.trainee.name if session.trainee else None,
        "mode": session.mode,
        "seed": session.seed,
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
        "outcome": session.outcome,
        "final_mood": session.final_mood,
        "scorecard": session.scorecard.scorecard if session.scorecard else None,
        "turns": [
            {
                "index": t.index,
                "speaker": t.speaker,
                "ends_at": iso(t.ends_at),
                "mood": t.mood,
                "mood_delta": t.mood_delta,
                "mood_reasons": t.mood_reasons,
                "interrupted": t.interrupted,
            }
            for t in session.turns
        ],
        "messages": [
            {
                "position": m.position,
                "turn": m.turn_index,
                "speaker": m.speaker,
                "text": m.text,
                "at": iso(m.at),
                "acts": m.acts,
                "fact": m.fact,
                "delivered_late": m.delivered_late,  # sent while the customer simulator was down
            }
            for m in session.messages
        ],
    }


def session_summaries(db: Session, trainee: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest sessions, newest first, each with its overall score: one query, no messages."""
    query = (
        select(
            TrainingSession.sender_id,
            TrainingSession.mode,
            TrainingSession.seed,
            TrainingSession.started_at,
            TrainingSession.ended_at,
            TrainingSession.outcome,
            TrainingSession.final_mood,
            Trainee.name,
            PersonaVersion.persona_id,
            PersonaVersion.name.label("persona_name"),
            PersonaVersion.temperament,
            PersonaVersion.content_hash,
            ScorecardRow.overall,
            ScorecardRow.passed,
        )
        .join(PersonaVersion, TrainingSession.persona_version_id == PersonaVersion.id)
        .outerjoin(Trainee, TrainingSession.trainee_id == Trainee.id)
        .outerjoin(ScorecardRow, ScorecardRow.session_id == TrainingSession.id)
        .order_by(TrainingSession.id.desc())
        .limit(limit)
    )
    if trainee:
        query = query.where(Trainee.name == trainee)
    return [
        {
            "sender_id": row.sender_id,
            "persona": {
                "id": row.persona_id,
                "name": row.persona_name,
                "temperament": row.temperament,
                "content_hash": row.content_hash,
            },
            "trainee": row.name,
            "mode": row.mode,
            "seed": row.seed,
            "started_at": iso(row.started_at),
            "ended_at": iso(row.ended_at),
            "outcome": row.outcome,
            "final_mood": row.final_mood,
            "overall": row.overall,
            "passed": row.passed,
        }
        for row in db.execute(query)
    ]


@dataclass(frozen=True)
class ChatHistory:
    """What the chat page shows on a reload: messages with server times, the mood, the outcome."""

    messages: list[dict[str, Any]]  # {"speaker", "text", "at"}: at in seconds since the epoch
    mood: int | None
    outcome: str | None

    def as_json(self, server_time: float) -> dict[str, Any]:
        # The server's clock travels with the times, so the page can correct for its own clock.
        return {
            "messages": self.messages,
            "mood": self.mood,
            "outcome": self.outcome,
            "server_time": server_time,
        }


def chat_history(session: TrainingSession) -> ChatHistory:
    moods = [t.mood for t in session.turns if t.mood is not None]
    return ChatHistory(
        messages=[{"speaker": m.speaker, "text": m.text, "at": m.at} for m in session.messages],
        mood=moods[-1] if moods else None,
        outcome=session.outcome,
    )
