"""Score a logged session: the same code live (after every turn) and when re-scoring.

Builds the transcript from the session log, labels the agent's messages with the utterance
detectors, and computes the scorecard. Nothing here reads a clock or writes to the database; the
callers do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from actions.personas import Persona, parse_persona
from actions.rubric import Rubric
from actions.scorecard import score_transcript
from actions.skill_events import Labels
from actions.storage import TrainingSession
from actions.transcript import Transcript, Turn

Labeler = Callable[[Transcript], Labels]


def transcript_of(session: TrainingSession, persona: Persona) -> Transcript:
    """The scorer's view of a logged session: the conversation until the customer's last word.

    Messages the trainee sends after a session has ended are kept in the log but are not part of
    the conversation, so they are not scored; nor is what the customer was still typing when the
    trainee ended the chat.
    """
    logged = [t for t in session.turns if t.speaker in ("agent", "customer")]
    if session.outcome == "ended_by_trainee":
        # The trainee left at `ended_at`: what the customer was still typing never reached them.
        logged = [t for t in logged if t.timestamp <= session.ended_at]
    elif session.outcome is not None:
        last_word = max((t.position for t in logged if t.speaker == "customer"), default=-1)
        logged = [t for t in logged if t.position <= last_word]
    turns = tuple(
        Turn(position=t.position, speaker=t.speaker, text=t.text, timestamp=t.timestamp,
             acts=tuple(a["act"] for a in t.acts or ()), turn_ends_at=t.turn_ends_at,
             fact=t.fact, mood=t.mood)
        for t in logged
    )
    return Transcript(
        persona_id=persona.id, temperament=persona.temperament, turns=turns,
        fact_descriptions=tuple((f.id, f.description) for f in persona.scenario.facts),
    )


def score_session(
    session: TrainingSession, persona: Persona, rubric: Rubric, label: Labeler
) -> dict[str, Any]:
    transcript = transcript_of(session, persona)
    return score_transcript(transcript, label(transcript), rubric)


def hint_for(scorecard: dict[str, Any], position: int) -> str | None:
    """A coaching hint about the agent's latest message: the first thing it lost points for."""
    for skill in scorecard["skills"].values():
        for event in skill["events"]:
            if event["turn"] == position and event["points"] < 0:
                return event["explanation"]
    for skill in scorecard["skills"].values():
        for event in skill["events"]:
            if event["turn"] == position and event["kind"] == "closed_question":
                return event["explanation"]
    return None


def differences(stored: Any, fresh: Any, path: str = "scorecard") -> list[str]:
    """Where two scorecards differ, one line per difference (empty when identical)."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return [line for key in sorted(set(stored) | set(fresh), key=str)
                for line in differences(stored.get(key), fresh.get(key), f"{path}.{key}")]
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        return [line for i, (a, b) in enumerate(zip(stored, fresh, strict=True))
                for line in differences(a, b, f"{path}[{i}]")]
    return [] if stored == fresh else [f"{path}: stored {stored!r}, re-scored {fresh!r}"]


def rescore(session: TrainingSession, rubric: Rubric, label: Labeler) -> dict[str, Any]:
    """Score a stored session again from its transcript, with the exact persona version played."""
    version = session.persona_version
    persona = parse_persona(version.content, Path(f"{version.persona_id}.yml")).persona
    return score_session(session, persona, rubric, label)
