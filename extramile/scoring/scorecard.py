"""The scorecard: a typed record of skill scores, events, pass or fail and advice.

One model, read the same way by the action server (live), the web page, the JSON API, the
command-line tools and re-scoring. Its JSON form (`Scorecard.json_dict()`) is documented in
`docs/scorecard.md`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, root_validator

from extramile.scoring.kinds import EventKind, is_fault, label
from extramile.vocab import Skill


class SkillEvent(BaseModel):
    """Something the agent did well or badly, with its evidence and what it was worth."""

    kind: EventKind  # e.g. "open_question", "missed_reflection", "interruption"
    message: int | None  # position in the session log of the message it is about; None: the whole
    quote: str = ""
    explanation: str
    points: float

    class Config:
        allow_mutation = False

    @property
    def label(self) -> str:
        """The kind in plain English, as the scorecard page shows it."""
        return label(self.kind)

    @property
    def fault(self) -> bool:
        return is_fault(self.kind)

    @root_validator(pre=True)
    def _rounded(cls, values: dict[str, Any]) -> dict[str, Any]:
        # Points are shown to one decimal; storing them so makes a re-score compare exactly.
        if isinstance(values.get("points"), (int, float)):
            values["points"] = round(float(values["points"]), 1)
        return values


class SkillResult(BaseModel):
    score: float | None  # None: nothing in the session to judge this skill by ("not assessed")
    weight: float
    pass_mark: float
    passed: bool | None
    events: list[SkillEvent]


class EvidenceVersions(BaseModel):
    """What the scorecard was computed with, so re-scoring can say why a score changed."""

    rubric: str  # sha256 of rubric.yml
    scorer: str  # hash of the scoring code and the temperament model
    detectors: str  # hash of the detectors' code and word lists
    detector_models: str  # sha256 of the data the detectors' models were trained on
    nlu_models: list[str] = Field(default_factory=list)  # Rasa models that read the messages

    def changed_since(self, other: EvidenceVersions) -> list[str]:
        """Which of these differ from `other` (NLU models read the stored acts; not compared)."""
        return [
            name
            for name in ("rubric", "scorer", "detectors", "detector_models")
            if getattr(self, name) != getattr(other, name)
        ]


class Scorecard(BaseModel):
    overall: float | None  # None: too little to judge (fewer agent messages than the rubric asks)
    passed: bool
    pass_mark: float
    failed_because: list[str] = Field(default_factory=list)  # why it did not pass, in plain words
    versions: EvidenceVersions
    skills: dict[Skill, SkillResult]
    advice: list[str]

    @root_validator(pre=True)
    def _from_earlier_form(cls, values: dict[str, Any]) -> dict[str, Any]:
        # Scorecards stored before evidence versions were kept: their rubric hash is all we know.
        if "versions" not in values and "rubric_hash" in values:
            values = {
                **values,
                "versions": {
                    "rubric": values.pop("rubric_hash"),
                    "scorer": "",
                    "detectors": "",
                    "detector_models": "",
                },
            }
            for skill in values.get("skills", {}).values():
                for event in skill.get("events", []):
                    if "turn" in event:
                        event["message"] = event.pop("turn")
        return values

    def json_dict(self) -> dict[str, Any]:
        """The scorecard as JSON-ready data: stored, sent by the API and printed by the tools."""
        return self.dict()

    def events_of(self, skill: Skill, kind: str | None = None) -> list[SkillEvent]:
        return [e for e in self.skills[skill].events if kind is None or e.kind == kind]

    def events_by_message(self) -> dict[int | None, list[tuple[Skill, SkillEvent]]]:
        """Every event with its skill, grouped by the message it is about (None: the whole)."""
        grouped: dict[int | None, list[tuple[Skill, SkillEvent]]] = {}
        for skill, result in self.skills.items():
            for event in result.events:
                grouped.setdefault(event.message, []).append((skill, event))
        return grouped

    def hint_for(self, position: int) -> str | None:
        """A coaching hint about one message: the first thing it lost points for, else advice
        on a closed question."""
        events = [event for _, event in self.events_by_message().get(position, [])]
        lost = next((e for e in events if e.points < 0), None)
        closed = next((e for e in events if e.kind == "closed_question"), None)
        chosen = lost or closed
        return chosen.explanation if chosen else None
