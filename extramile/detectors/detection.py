"""The small result every detector returns: a label plus the words that triggered it and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Detection:
    """One detector's verdict on one agent message, quotable on a scorecard."""

    label: str
    quote: str = ""
    explanation: str = ""
