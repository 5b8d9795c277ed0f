"""What several commands share: the labeller, re-scoring a stored session, and percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from extramile import store
from extramile.detectors import Labeller
from extramile.personas import PersonaCatalogue
from extramile.scoring import Comparison, compare
from extramile.scoring.scorer import Scorer
from extramile.settings import Settings


def load_labeller(settings: Settings) -> Labeller:
    """The labeller with the models `make train` stored (ClassifierError says what to do)."""
    return Labeller.load(settings.detector_models)


def rescore(session: store.TrainingSession, catalogue: PersonaCatalogue, scorer: Scorer) -> Comparison:
    """A stored session scored again, with the persona version it was played with, against its
    stored scorecard."""
    version = session.persona_version
    persona = catalogue.version(version.persona_id, version.content).persona
    stored = store.stored_scorecard(session)
    if stored is None:
        raise ValueError(f"session {session.sender_id} has no stored scorecard to compare with")
    return compare(stored, scorer.score(store.load_transcript(session, persona), store.nlu_models(session)))


def percentile(values: Sequence[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
