"""Train the detectors' models: `extramile train-detectors` (`make train`).

The arguing model learns from the NLU examples (NLU_DATA) and the labelled messages in
data/detectors/; the reflection model from those labelled messages. Both are stored in
MODELS_DIR/detectors.joblib with the hash of the data they learned from.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extramile.detectors.models import DetectorModels
from extramile.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile train-detectors", description=__doc__)
    parser.add_argument("--out", type=Path, help="where to store them (default: in MODELS_DIR)")
    args = parser.parse_args(argv)
    settings = load_settings()
    start = time.perf_counter()
    models = DetectorModels.train(settings.nlu_data, settings.labelled_messages)
    out = args.out or settings.detector_models
    models.save(out)
    print(
        f"Detector models trained in {time.perf_counter() - start:.1f} s on data "
        f"{models.trained_on[:12]}: {out}"
    )
    return 0
