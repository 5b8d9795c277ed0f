"""Scoring: a transcript and its labels -> skill events -> a scorecard, against the rubric."""

from extramile.scoring.rescoring import Comparison, compare, differences
from extramile.scoring.rubric import Rubric, load_rubric, parse_rubric
from extramile.scoring.scorecard import EvidenceVersions, Scorecard, SkillEvent, SkillResult
from extramile.scoring.scorer import Scorer, score_transcript

__all__ = [
    "Comparison",
    "EvidenceVersions",
    "Rubric",
    "Scorecard",
    "Scorer",
    "SkillEvent",
    "SkillResult",
    "compare",
    "differences",
    "load_rubric",
    "parse_rubric",
    "score_transcript",
]
