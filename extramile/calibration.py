"""The calibration suite: whole conversations written by trainers, each with what a trainer expects.

Each case is a transcript file (`extramile.transcript_file`) plus `expect`: whether it passes,
a score band per skill (or "not_assessed"), the events a trainer expects on the card and the
events a trainer would strike as wrong. `check` compares a scorecard with a case; the suite runs
in `make test` (tests/calibration/) and `extramile calibration-report` prints its figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from extramile.scoring import Scorecard
from extramile.scoring.kinds import EventKind
from extramile.transcript_file import TranscriptFile
from extramile.vocab import Skill

CaseKind = Literal["strong", "adequate", "weak", "fails"]


class ExpectedEvent(BaseModel):
    skill: Skill
    kind: EventKind
    message: int | None = None  # None: anywhere (or about the whole conversation)

    def matches(self, skill: Skill, kind: str, message: int | None) -> bool:
        return (self.skill, self.kind) == (skill, kind) and self.message in (None, message)


class Expectations(BaseModel):
    passed: bool
    skills: dict[Skill, tuple[float, float] | Literal["not_assessed"]] = Field(default_factory=dict)
    events: list[ExpectedEvent] = Field(default_factory=list)
    forbidden: list[ExpectedEvent] = Field(default_factory=list)


class CalibrationCase(TranscriptFile):
    id: str
    description: str = ""
    expect: Expectations

    @property
    def kind(self) -> CaseKind:
        suffix = self.id.removeprefix(self.persona + "-")
        return "fails" if suffix.startswith("fails-") else suffix  # type: ignore[return-value]

    @property
    def failed_skill(self) -> Skill | None:
        """The one skill a "fails-<skill>" case fails on purpose."""
        suffix = self.id.removeprefix(self.persona + "-")
        return suffix.removeprefix("fails-") if suffix.startswith("fails-") else None  # type: ignore[return-value]


def load_cases(paths: Iterable[Path]) -> list[CalibrationCase]:
    cases = []
    for path in sorted(paths):
        for raw in json.loads(path.read_text(encoding="utf-8")):
            cases.append(CalibrationCase.parse_obj(raw))
    return cases


@dataclass(frozen=True)
class CaseResult:
    """How a scorecard compares with what the trainers expected of one conversation.

    `problems` break the suite's rules (a strong agent failing, a weak one passing, a single-skill
    failure failing another skill or none, an event the trainers would strike); `misses` are the
    finer expectations (score bands, expected events, the adequate agent's pass), reported as
    figures."""

    problems: list[str]
    misses: list[str]
    expected: int  # events the trainers expected
    found: int  # of those, on the card
    forbidden_hits: list[str]  # events on the card the trainers would strike
    bands: int  # skill bands given
    in_band: int  # of those, met

    @property
    def agrees(self) -> bool:
        return not self.problems


def _events(card: Scorecard) -> list[tuple[Skill, str, int | None]]:
    return [(skill, e.kind, e.message) for skill, r in card.skills.items() for e in r.events]


def check(case: CalibrationCase, card: Scorecard) -> CaseResult:
    problems: list[str] = []
    misses: list[str] = []
    if card.passed != case.expect.passed:
        verdict = f"passed {card.passed}, expected {case.expect.passed} ({'; '.join(card.failed_because)})"
        (misses if case.kind == "adequate" else problems).append(verdict)
    in_band = 0
    for skill, band in case.expect.skills.items():
        score = card.skills[skill].score
        met = score is None if band == "not_assessed" else score is not None and band[0] <= score <= band[1]
        in_band += met
        if not met:
            wanted = "not assessed" if band == "not_assessed" else f"{band[0]:g}-{band[1]:g}"
            misses.append(f"{skill} scored {score}, expected {wanted}")
    if case.failed_skill is not None:
        others = [s for s, r in card.skills.items() if r.passed is False and s != case.failed_skill]
        if card.skills[case.failed_skill].passed is not False:
            problems.append(
                f"{case.failed_skill} should fail and does not ({card.skills[case.failed_skill].score})"
            )
        if others:
            problems.append(f"only {case.failed_skill} should fail, but so do {others}")
    produced = _events(card)
    missing = [e for e in case.expect.events if not any(e.matches(*p) for p in produced)]
    misses += [f"missing event {e.skill}/{e.kind} at {e.message}" for e in missing]
    hits = [
        f"{skill}/{kind} at {message}"
        for skill, kind, message in produced
        if any(f.matches(skill, kind, message) for f in case.expect.forbidden)
    ]
    problems += [f"forbidden event {hit}" for hit in hits]
    return CaseResult(
        problems,
        misses,
        len(case.expect.events),
        len(case.expect.events) - len(missing),
        hits,
        len(case.expect.skills),
        in_band,
    )


@dataclass(frozen=True)
class SuiteFigures:
    cases: int
    agreeing: int  # no problem (the suite's rules hold)
    pass_fail_right: int
    bands: float  # share of the trainers' score bands met
    event_recall: float  # expected events on the card / expected events
    event_precision: float  # of the card's events the trainers named, the share they expected

    @classmethod
    def of(cls, results: Sequence[tuple[CalibrationCase, Scorecard, CaseResult]]) -> SuiteFigures:
        expected = sum(r.expected for _, _, r in results)
        found = sum(r.found for _, _, r in results)
        struck = sum(len(r.forbidden_hits) for _, _, r in results)
        bands = sum(r.bands for _, _, r in results)
        return cls(
            cases=len(results),
            agreeing=sum(r.agrees for _, _, r in results),
            pass_fail_right=sum(card.passed == case.expect.passed for case, card, _ in results),
            bands=sum(r.in_band for _, _, r in results) / bands if bands else 1.0,
            event_recall=found / expected if expected else 1.0,
            event_precision=found / (found + struck) if found + struck else 1.0,
        )
