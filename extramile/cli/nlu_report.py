"""NLU cross-validation per intent: `extramile nlu-report [--folds 5]` (`make nlu-report`).

Runs Rasa's own cross-validation (`rasa test nlu --cross-validation`) on data/nlu.yml with the
project's config.yml and prints precision, recall, F1 and support for every intent, as a Markdown
table that can go straight into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from extramile.settings import PROJECT_ROOT


def table(report: dict[str, Any]) -> str:
    rows = ["| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for intent, scores in sorted(report.items()):
        if not isinstance(scores, dict) or "support" not in scores or intent == "accuracy":
            continue
        rows.append(
            f"| {intent} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1-score']:.3f} | {scores['support']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile nlu-report", description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "nlu-cv")
    args = parser.parse_args(argv)
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "test",
            "nlu",
            "--nlu",
            "data/nlu.yml",
            "--config",
            "config.yml",
            "--cross-validation",
            "--folds",
            str(args.folds),
            "--out",
            str(args.out),
        ],
        cwd=PROJECT_ROOT,
        check=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    report = json.loads((args.out / "intent_report.json").read_text())
    print(table(report))
    for key in ("accuracy", "macro avg", "weighted avg"):
        value = report.get(key)
        if isinstance(value, dict):
            print(
                f"{key}: precision {value['precision']:.3f}, recall {value['recall']:.3f}, "
                f"F1 {value['f1-score']:.3f}"
            )
        elif value is not None:
            print(f"{key}: {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
