"""Persona files: the schema a trainer writes in YAML, and loading it with clear errors.

A persona is data, not code: who the customer is, what happened to them, which facts they reveal
and when, how they react to each agent act at each mood, and what resolves or escalates the call.
Every problem found on load names the file, the line and the field, so a trainer can fix it
without reading Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, root_validator, validator

from actions.acts import AgentAct
from actions.yaml_files import FileError, FileProblem, line_of, parse_yaml

Temperament = Literal["aggressive", "expressive", "passive", "analytical"]
Difficulty = Literal["easy", "medium", "hard"]
MoodBand = Literal["low", "mid", "high"]

# A reply is one message, or a turn of several messages the customer types one after another.
Reply = str | list[str]

PERSONAS_DIR = Path(__file__).resolve().parent.parent / "personas"


def _as_turns(replies: list[Reply]) -> list[list[str]]:
    """Normalise replies to turns: each a non-empty list of non-empty messages."""
    turns = []
    for reply in replies:
        messages = [reply] if isinstance(reply, str) else list(reply)
        if not messages or any(not m.strip() for m in messages):
            raise ValueError("a reply must hold at least one non-empty message")
        turns.append([m.strip() for m in messages])
    return turns


class _Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt field is an error, not silently ignored
        anystr_strip_whitespace = True


class Fact(_Strict):
    """Something the agent should uncover; the customer reveals it only when asked the right way."""

    id: str = Field(..., regex=r"^[a-z0-9_]+$")
    description: str = Field(..., min_length=1)
    revealed_by: list[AgentAct] = Field(default_factory=lambda: ["ask_open_question"])
    reveal: list[list[str]]

    _turns = validator("reveal", pre=True, allow_reuse=True)(
        lambda v: _as_turns(v if isinstance(v, list) else [v])
    )


class Resolution(_Strict):
    """What resolves the call: a solution offered once these facts are known and mood allows."""

    requires_facts: list[str] = Field(default_factory=list)
    min_mood: int = Field(0, ge=0, le=100)
    reply: list[list[str]]

    _turns = validator("reply", pre=True, allow_reuse=True)(lambda v: _as_turns(v))


class Escalation(_Strict):
    """When the customer gives up: mood falls below `give_up_below`."""

    give_up_below: int = Field(10, ge=0, le=100)
    reply: list[list[str]]

    _turns = validator("reply", pre=True, allow_reuse=True)(lambda v: _as_turns(v))


class Scenario(_Strict):
    title: str = Field(..., min_length=1)
    situation: str = Field(..., min_length=1)
    facts: list[Fact] = Field(..., min_items=1)
    resolution: Resolution
    escalation: Escalation

    @root_validator(skip_on_failure=True)
    def _required_facts_exist(cls, values: dict[str, Any]) -> dict[str, Any]:
        fact_ids = [fact.id for fact in values["facts"]]
        duplicates = {i for i in fact_ids if fact_ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"fact ids must be unique; repeated: {sorted(duplicates)}")
        unknown = [f for f in values["resolution"].requires_facts if f not in fact_ids]
        if unknown:
            raise ValueError(
                f"resolution.requires_facts names unknown facts {unknown}; "
                f"the facts are {fact_ids}"
            )
        return values


class MoodReplies(_Strict):
    """Alternative replies at each mood band: low (< 35), mid, high (>= 65)."""

    low: list[list[str]] = Field(default_factory=list)
    mid: list[list[str]] = Field(default_factory=list)
    high: list[list[str]] = Field(default_factory=list)

    _turns = validator("low", "mid", "high", pre=True, allow_reuse=True)(
        lambda v: _as_turns(v)
    )

    @root_validator(skip_on_failure=True)
    def _not_empty(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not any(values.get(band) for band in ("low", "mid", "high")):
            raise ValueError("give replies for at least one of low, mid, high")
        return values

    def for_band(self, band: MoodBand) -> list[list[str]]:
        """Replies for the band, falling back to the nearest band that has some."""
        order = {"low": ("low", "mid", "high"), "mid": ("mid", "low", "high"),
                 "high": ("high", "mid", "low")}[band]
        return next(getattr(self, b) for b in order if getattr(self, b))


class Situations(_Strict):
    """What the customer says in situations that are not a reaction to one act."""

    interrupted: list[list[str]]
    premature_solution: list[list[str]]
    nudge: list[list[str]]
    yes_no_answer: list[list[str]]
    agent_closed: list[list[str]]

    _turns = validator("*", pre=True, allow_reuse=True)(lambda v: _as_turns(v))


class Typing(_Strict):
    """How fast the customer types: drives when each message of a turn arrives."""

    chars_per_second: float = Field(6.0, gt=0.5, le=50)
    pause_seconds: float = Field(1.0, ge=0, le=30)


class Mood(_Strict):
    start: int = Field(40, ge=0, le=100)
    # Overrides of the temperament's default mood change per agent act.
    effects: dict[AgentAct, int] = Field(default_factory=dict)


class Persona(_Strict):
    """A simulated customer: everything the engine needs to play them."""

    id: str = Field(..., regex=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(..., min_length=1)
    temperament: Temperament
    difficulty: Difficulty
    typing: Typing = Field(default_factory=Typing)
    mood: Mood = Field(default_factory=Mood)
    scenario: Scenario
    opening: list[list[str]]
    replies: dict[AgentAct, MoodReplies]
    situations: Situations

    _turns = validator("opening", pre=True, allow_reuse=True)(lambda v: _as_turns(v))

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.scenario.facts if f.id == fact_id)


# A persona file's problems are file problems; the names say what is being loaded.
PersonaProblem = FileProblem
PersonaError = FileError


@dataclass(frozen=True)
class LoadedPersona:
    """A validated persona with where it came from and the hash of its exact content."""

    persona: Persona
    path: Path
    content_hash: str
    content: str


def parse_persona(content: str, path: Path) -> LoadedPersona:
    """Validate one persona file's text; raise PersonaError naming file, line and field."""
    persona, root = parse_yaml(content, path, Persona)
    if persona.id != path.stem:
        raise PersonaError([PersonaProblem(
            path, line_of(root, ("id",)), "id",
            f"id '{persona.id}' must match the file name '{path.stem}.yml'",
        )])
    content_hash = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return LoadedPersona(persona, path, content_hash, content)


def load_persona_file(path: Path) -> LoadedPersona:
    return parse_persona(path.read_text(encoding="utf-8"), path)


def persona_files(directory: Path = PERSONAS_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yml") if p.is_file())


def load_personas(
    paths: Iterable[Path] | None = None,
) -> tuple[dict[str, LoadedPersona], list[PersonaProblem]]:
    """Load every persona; return the valid ones by id and every problem in the others."""
    personas: dict[str, LoadedPersona] = {}
    problems: list[PersonaProblem] = []
    for path in paths if paths is not None else persona_files():
        try:
            loaded = load_persona_file(Path(path))
        except PersonaError as error:
            problems.extend(error.problems)
        except OSError as error:
            problems.append(PersonaProblem(Path(path), None, "(file)", str(error)))
        else:
            if loaded.persona.id in personas:
                problems.append(PersonaProblem(
                    loaded.path, 1, "id",
                    f"id '{loaded.persona.id}' is already used by {personas[loaded.persona.id].path}",
                ))
            else:
                personas[loaded.persona.id] = loaded
    return personas, problems
