"""Scoring: a transcript and its labels -> skill events -> a scorecard, against the rubric.

The scorer itself (`extramile.scoring.scorer`) is imported from its module: it needs the detectors
(spaCy, the trained models), which what only reads stored scorecards (the web app, reports,
migrations) should not load.
"""

from extramile.scoring.rescoring import Comparison, compare, differences
from extramile.scoring.rubric import Rubric, load_rubric, parse_rubric
from extramile.scoring.scorecard import EvidenceVersions, Scorecard, SkillEvent, SkillResult

__all__ = [
    "Comparison",
    "EvidenceVersions",
    "Rubric",
    "Scorecard",
    "SkillEvent",
    "SkillResult",
    "compare",
    "differences",
    "load_rubric",
    "parse_rubric",
]
