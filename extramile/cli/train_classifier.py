"""Train the arguing classifier on the NLU examples: `extramile train-classifier` (`make train`).

Stores it at MODELS_DIR/argue-classifier.joblib with the hash of the data it learned from.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extramile.detectors.argue_model import ArguingClassifier
from extramile.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile train-classifier", description=__doc__)
    parser.add_argument("--data", type=Path, help="NLU examples (default: NLU_DATA)")
    parser.add_argument("--out", type=Path, help="where to store it (default: in MODELS_DIR)")
    args = parser.parse_args(argv)
    settings = load_settings()
    start = time.perf_counter()
    classifier = ArguingClassifier.train(args.data or settings.nlu_data)
    out = args.out or settings.argue_classifier
    classifier.save(out)
    print(
        f"Arguing classifier trained in {time.perf_counter() - start:.1f} s on data "
        f"{classifier.trained_on[:12]}: {out}"
    )
    return 0
