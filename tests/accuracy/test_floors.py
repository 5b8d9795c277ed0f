"""Regression floors for the utterance detectors, measured against expert labels.

Floors sit a little under the figures measured when they were set (README, "How accurate is the
scoring?"): they catch a change that makes a detector worse; they are not targets. The AnnoMI
benchmark lives outside the repository (../shared/benchmarks) and is used only to measure.
"""

import json
from pathlib import Path

import pytest

from extramile.detectors import ContextMessage, Labeller
from extramile.detectors.evaluation import score_all
from extramile.settings import PROJECT_ROOT

SERVICE_HOLDOUT = PROJECT_ROOT / "tests" / "data" / "service_holdout.jsonl"
SERVICE_BLIND = PROJECT_ROOT / "tests" / "data" / "service_blind.jsonl"
ANNOMI = PROJECT_ROOT.parent / "shared" / "benchmarks" / "annomi-dev.jsonl"


def kappas(labeller: Labeller, path: Path) -> dict:
    gold, predicted = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        context = [ContextMessage(c["speaker"], c["text"]) for c in item["context"]]
        gold.append(item["gold"])
        predicted.append(labeller.label_message(item["text"], context).as_row())
    return {score.field: score.kappa for score in score_all(gold, predicted)}


def test_service_blind_floors(labeller):
    # Written blind by someone who had not read the rules; measured once before the detectors'
    # models and once after, never used to develop them (measured 0.943, 0.754, 0.953, 0.831).
    measured = kappas(labeller, SERVICE_BLIND)
    floors = {"question": 0.92, "reflection": 0.72, "apology": 0.93, "argue": 0.80}
    for field, floor in floors.items():
        assert measured[field] >= floor, f"{field} kappa {measured[field]:.3f} < {floor}"


def test_service_holdout_floors(labeller):
    # Never trained on, but looked at while developing the models (0.977, 0.838, 0.957, 0.836).
    measured = kappas(labeller, SERVICE_HOLDOUT)
    floors = {"question": 0.95, "reflection": 0.80, "apology": 0.93, "argue": 0.80}
    for field, floor in floors.items():
        assert measured[field] >= floor, f"{field} kappa {measured[field]:.3f} < {floor}"


@pytest.mark.skipif(not ANNOMI.exists(), reason=f"{ANNOMI} is not beside the repository")
def test_annomi_floors(labeller):
    # Counselling, not customer service, and never trained on: the floor guards against a change
    # that loses what carries over (measured 0.739 and 0.403; the rules once fitted to this file
    # reached 0.557 on reflections, and are gone).
    measured = kappas(labeller, ANNOMI)
    assert measured["question"] >= 0.72, measured
    assert measured["reflection"] >= 0.38, measured
