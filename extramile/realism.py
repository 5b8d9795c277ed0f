"""The realism suite: scripted exchanges with each persona, and the kind of reply a trainer expects.

Each exchange is a fresh session in which the agent sends its messages one by one, waiting for
the customer each time; a message may say what the customer's answer must do: reveal a fact, say
one of the persona's situational lines (they do not know; their details; "what do you mean?"; a
correction; a refused fob-off; accepting the fix; "anything else?"; their goodbye), end the session
a certain way, or avoid some kind of line. Lines are traced back to where the persona file has
them, so the check reads like a trainer's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, validator

from extramile.personas import Persona
from extramile.vocab import Outcome

# Where a customer line can come from, as the expectations name it.
Source = Literal[
    "interrupted", "premature_solution", "nudge", "yes_no_answer", "agent_closed", "dont_know",
    "unclear", "gives_details", "corrected", "fob_off", "anything_else", "closing", "resolution",
    "escalation", "opening", "reaction",
]  # fmt: skip


class Expect(BaseModel):
    reveals: str | None = None  # a fact id the answer must reveal
    says: Source | None = None  # a kind of line the answer must include
    never: list[Source] = Field(default_factory=list)  # kinds it must not include
    outcome: Outcome | Literal["open"] | None = None  # how the session stands after it

    class Config:
        extra = "forbid"


class Step(BaseModel):
    text: str
    expect: Expect | None = None

    class Config:
        extra = "forbid"


class Exchange(BaseModel):
    name: str
    say: list[Step] = Field(..., min_items=1)

    @validator("say", pre=True)
    def _plain_texts(cls, steps: object) -> object:
        # A message with nothing to check may be written as plain text.
        return [{"text": s} if isinstance(s, str) else s for s in steps] if isinstance(steps, list) else steps

    @validator("say")
    def _expects_something(cls, steps: list[Step]) -> list[Step]:
        if not any(step.expect for step in steps):
            raise ValueError("an exchange needs at least one message with `expect`")
        return steps


class Script(BaseModel):
    persona: str
    exchanges: list[Exchange] = Field(..., min_items=1)


def load_scripts(paths: Iterable[Path]) -> list[Script]:
    return [Script.parse_obj(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(paths)]


def line_sources(persona: Persona) -> dict[str, set[str]]:
    """Every line the persona can type, with where it comes from ("fact:<id>", a situation's name,
    "resolution", "escalation", "opening", "reaction")."""
    sources: dict[str, set[str]] = {}

    def add(replies: Iterable[list[str]], source: str) -> None:
        for turn in replies:
            for line in turn:
                sources.setdefault(line, set()).add(source)

    for fact in persona.scenario.facts:
        add(fact.reveal, f"fact:{fact.id}")
    add(persona.scenario.resolution.reply, "resolution")
    add(persona.scenario.escalation.reply, "escalation")
    add(persona.opening, "opening")
    for name in persona.situations.__fields__:
        add(getattr(persona.situations, name), name)
    for mood_replies in persona.replies.values():
        for band in ("low", "mid", "high"):
            add(getattr(mood_replies, band) or [], "reaction")
    return sources


@dataclass(frozen=True)
class Checked:
    persona: str
    exchange: str
    text: str
    replied: list[str]
    problems: list[str]


def check(
    persona: Persona,
    sources: dict[str, set[str]],
    exchange: str,
    step: Step,
    replied: list[str],
    outcome: Outcome | None,
) -> Checked:
    """Compare the customer's answer with what the step expects; `sources` are the persona's
    `line_sources`."""
    expect = step.expect or Expect()
    # A correction is written with {right} and {wrong} filled in; it comes from no line verbatim.
    said = set().union(*(sources.get(line, {"corrected"}) for line in replied))
    problems = []
    if expect.reveals and f"fact:{expect.reveals}" not in said:
        problems.append(f"should reveal {expect.reveals}")
    if expect.says and expect.says not in said:
        problems.append(f"should say a {expect.says} line")
    problems += [f"should not say a {kind} line" for kind in expect.never if kind in said]
    if expect.outcome is not None and (outcome or "open") != expect.outcome:
        problems.append(f"should leave the session {expect.outcome}, not {outcome or 'open'}")
    return Checked(persona.id, exchange, step.text, replied, problems)
