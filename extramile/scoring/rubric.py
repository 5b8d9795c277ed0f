"""The scoring rubric (rubric.yml): skill weights and pass marks, checked on load.

Problems are reported like persona problems: file, line and field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, Field, root_validator

from extramile.files import parse_yaml, read_text
from extramile.vocab import SKILLS, Skill


class SkillRule(BaseModel):
    weight: float = Field(..., ge=0, le=100)
    pass_mark: float = Field(..., ge=0, le=100)

    class Config:
        extra = "forbid"


class PassRules(BaseModel):
    """What a session needs besides the marks: an assessor must be able to defend a pass."""

    # A session passes only if the customer's problem was resolved.
    require_resolution: bool = True
    # Fewer agent messages than this is too little to judge: no overall score, no pass.
    min_agent_messages: int = Field(default=3, ge=1, le=100)

    class Config:
        extra = "forbid"


class Rubric(BaseModel):
    pass_mark: float = Field(..., ge=0, le=100)
    pass_rules: PassRules = Field(default_factory=lambda: PassRules())
    skills: dict[Skill, SkillRule]
    content_hash: str = ""  # set from the file's text on load

    class Config:
        extra = "forbid"

    @root_validator(skip_on_failure=True)
    def _complete_and_weighted(cls, values: dict) -> dict:
        missing = [s for s in SKILLS if s not in values["skills"]]
        if missing:
            raise ValueError(f"every skill needs a rule; missing: {missing}")
        total = sum(rule.weight for rule in values["skills"].values())
        if abs(total - 100) > 1e-6:
            raise ValueError(f"skill weights must add up to 100, not {total:g}")
        return values


def parse_rubric(content: str, path: Path) -> Rubric:
    """Validate rubric text; raise FileError naming the file, line and field at fault."""
    rubric, _root = parse_yaml(content, path, Rubric)
    return rubric.copy(update={"content_hash": hashlib.sha256(content.encode()).hexdigest()})


def load_rubric(path: Path) -> Rubric:
    """Read and validate the rubric; FileError for any problem, the file's own included (too big,
    not UTF-8, unreadable), with the same limits as persona files."""
    return parse_rubric(read_text(path), path)
