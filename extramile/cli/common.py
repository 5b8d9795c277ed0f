"""What several commands share: the scorer as the servers build it, and percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from extramile.detectors import Labeller
from extramile.scoring import Scorer, load_rubric
from extramile.settings import Settings


def load_labeller(settings: Settings) -> Labeller:
    """The labeller with the models `make train` stored (ClassifierError says what to do)."""
    return Labeller.load(settings.detector_models)


def load_scorer(settings: Settings) -> Scorer:
    return Scorer(load_rubric(settings.rubric_file), load_labeller(settings))


def percentile(values: Sequence[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
