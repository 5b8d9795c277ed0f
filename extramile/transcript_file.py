"""Transcripts from a JSON file, so any chat log can be scored (`extramile score-transcript FILE`).

The format:

    {"persona": "<persona id>", "mode": "practice" | "assessment",
     "outcome": "resolved" | "gave_up" | "closed_by_agent" | "ended_by_trainee" | null,
     "messages": [{"speaker": "agent" | "customer", "text": "...", "at": <seconds, float>,
                   "turn": <optional int>, "acts": <optional list of agent acts>,
                   "fact": <optional fact id>}]}

Consecutive messages of one speaker form one turn, unless a message carries `"turn": n` to say
otherwise (messages with the same number are one turn). An agent message whose `at` falls before
the last message of the customer's turn before it interrupts that turn. Agent messages without
`acts` are read by the NLU (the caller supplies a reader). A problem is reported with the message
index and the field, as in `messages[3].at: value is not a valid float`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, validator

from extramile.detectors.revealed import FactWords, revealed_fact
from extramile.personas import Persona
from extramile.transcript import Message, Transcript, Turn
from extramile.vocab import AgentAct, Mode, Outcome, Speaker

# Reads the dialogue acts of agent messages, all in one call (the NLU).
ActReader = Callable[[Sequence[str]], list[tuple[AgentAct, ...]]]


class TranscriptFileError(ValueError):
    """A transcript that cannot be scored; the message names the index and field at fault."""


class FileMessage(BaseModel):
    speaker: Speaker
    text: str = Field(..., min_length=1)
    at: float
    turn: int | None = Field(None, ge=0)
    acts: list[AgentAct] | None = None
    fact: str | None = None

    class Config:
        extra = "forbid"

    @validator("text")
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("a message needs some text")
        return text


class TranscriptFile(BaseModel):
    persona: str = Field(..., min_length=1)
    mode: Mode = "practice"
    outcome: Outcome | None = None
    messages: list[FileMessage] = Field(..., min_items=1)

    class Config:
        extra = "forbid"


def parse_transcript_file(text: str) -> TranscriptFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptFileError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    try:
        return TranscriptFile.parse_obj(data)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem["loc"])
            problems.append(f"{where.lstrip('.')}: {problem['msg']}")
        raise TranscriptFileError("; ".join(problems)) from None


def load_transcript_file(path: Path) -> TranscriptFile:
    try:
        return parse_transcript_file(path.read_text(encoding="utf-8"))
    except TranscriptFileError as error:
        raise TranscriptFileError(f"{path}: {error}") from None


def _turn_numbers(messages: Sequence[FileMessage]) -> list[int]:
    """Each message's turn: a new turn when the speaker changes, or where `turn` says so."""
    numbers: list[int] = []
    for index, message in enumerate(messages):
        previous = messages[index - 1] if index else None
        if previous is None:
            numbers.append(0)
        elif message.turn is not None and previous.turn is not None:
            same = message.turn == previous.turn and message.speaker == previous.speaker
            numbers.append(numbers[-1] if same else numbers[-1] + 1)
        else:
            numbers.append(numbers[-1] if message.speaker == previous.speaker else numbers[-1] + 1)
    return numbers


def to_transcript(file: TranscriptFile, persona: Persona, read_acts: ActReader | None) -> Transcript:
    """The scorer's transcript of a file; agent messages without acts are read by `read_acts`."""
    unknown = [
        f"messages[{i}].fact: no fact '{m.fact}' in persona {persona.id}"
        for i, m in enumerate(file.messages)
        if m.fact and m.fact not in {f.id for f in persona.scenario.facts}
    ]
    if unknown:
        raise TranscriptFileError("; ".join(unknown))
    unread = [m.text for m in file.messages if m.speaker == "agent" and m.acts is None]
    if unread and read_acts is None:
        raise TranscriptFileError("agent messages without acts need the NLU model to read them")
    read = iter(read_acts(unread) if unread and read_acts else [])
    turns_of = _turn_numbers(file.messages)
    tagged = any(m.fact for m in file.messages)
    unrevealed = [
        FactWords.of(f.id, [f.description, *(line for turn in f.reveal for line in turn)])
        for f in persona.scenario.facts
    ]
    messages = []
    for position, (message, turn) in enumerate(zip(file.messages, turns_of, strict=True)):
        acts: tuple[AgentAct, ...] = ()
        fact = message.fact
        if message.speaker == "agent":
            acts = tuple(message.acts) if message.acts is not None else next(read)
        elif not tagged and turn > 0:
            # A log that tags no fact: find them, each once, as the engine would have revealed
            # them (not in the opening, which states the complaint).
            fact = revealed_fact(message.text, unrevealed)
            unrevealed = [f for f in unrevealed if f.id != fact]
        messages.append(
            Message(
                position=position,
                turn=turn,
                speaker=message.speaker,
                text=message.text,
                at=message.at,
                acts=acts,
                fact=fact,
            )
        )
    turns = tuple(
        Turn(index=index, speaker=group[0].speaker, ends_at=max(m.at for m in group))
        for index in sorted(set(turns_of))
        for group in [[m for m in messages if m.turn == index]]
    )
    return Transcript(
        persona_id=persona.id,
        temperament=persona.temperament,
        messages=tuple(messages),
        turns=turns,
        facts=tuple((f.id, f.description) for f in persona.scenario.facts),
        mode=file.mode,
        outcome=file.outcome,
    )
