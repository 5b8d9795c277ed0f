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

SERVICE_GOLD = PROJECT_ROOT / "data" / "detectors" / "service_gold.jsonl"
SERVICE_HOLDOUT = PROJECT_ROOT / "tests" / "data" / "service_holdout.jsonl"
ANNOMI = PROJECT_ROOT.parent / "shared" / "benchmarks" / "annomi-dev.jsonl"


def kappas(labeller: Labeller, path: Path) -> dict:
    gold, predicted = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        context = [ContextMessage(c["speaker"], c["text"]) for c in item["context"]]
        gold.append(item["gold"])
        predicted.append(labeller.label_message(item["text"], context).as_row())
    return {score.field: score.kappa for score in score_all(gold, predicted)}


def test_service_gold_floors(labeller):
    measured = kappas(labeller, SERVICE_GOLD)
    floors = {"question": 0.90, "reflection": 0.75, "apology": 0.90, "argue": 0.52}
    for field, floor in floors.items():
        assert measured[field] >= floor, f"{field} kappa {measured[field]:.3f} < {floor}"


def test_service_holdout_floors(labeller):
    # Written blind after the detectors were built and never used to develop them.
    measured = kappas(labeller, SERVICE_HOLDOUT)
    floors = {"question": 0.90, "reflection": 0.60, "apology": 0.90, "argue": 0.58}
    for field, floor in floors.items():
        assert measured[field] >= floor, f"{field} kappa {measured[field]:.3f} < {floor}"


@pytest.mark.skipif(not ANNOMI.exists(), reason=f"{ANNOMI} is not beside the repository")
def test_annomi_floors(labeller):
    measured = kappas(labeller, ANNOMI)
    assert measured["question"] >= 0.70, measured
    assert measured["reflection"] >= 0.52, measured
