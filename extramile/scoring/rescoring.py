"""Comparing a stored scorecard with a fresh one, and saying why they differ.

A difference with the same evidence versions is a regression (the same inputs must give the same
card); a difference after the rubric, the scorer, the detectors or their trained models changed
is explained by that change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extramile.scoring.scorecard import Scorecard


@dataclass(frozen=True)
class Comparison:
    differences: list[str]  # one line per field that differs; empty when identical
    changed: list[str]  # which evidence versions changed since the card was stored

    @property
    def regression(self) -> bool:
        """Different scores from unchanged inputs: the scorer is not reproducible."""
        return bool(self.differences) and not self.changed


def differences(stored: Any, fresh: Any, path: str = "scorecard") -> list[str]:
    """Where two scorecards (as JSON data) differ, one line per difference."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return [
            line
            for key in sorted(set(stored) | set(fresh), key=str)
            for line in differences(stored.get(key), fresh.get(key), f"{path}.{key}")
        ]
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        return [
            line
            for i, (a, b) in enumerate(zip(stored, fresh, strict=True))
            for line in differences(a, b, f"{path}[{i}]")
        ]
    return [] if stored == fresh else [f"{path}: stored {stored!r}, re-scored {fresh!r}"]


def compare(stored: Scorecard, fresh: Scorecard) -> Comparison:
    """The scores and events that differ (versions aside), and which versions changed."""
    old, new = stored.json_dict(), fresh.json_dict()
    old.pop("versions")
    new.pop("versions")
    return Comparison(differences(old, new), fresh.versions.changed_since(stored.versions))
