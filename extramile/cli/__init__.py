"""The `extramile` command: one entry point for every tool, each a thin layer over the package.

`extramile COMMAND --help` describes each; `scripts/COMMAND.py` runs the same code.
"""

from __future__ import annotations

import importlib
import os
import sys

# command -> module in this package; each module has `main(argv) -> int`.
COMMANDS = {
    "run": "run",
    "chat": "chat",
    "migrate": "migrate",
    "add-user": "add_user",
    "train-detectors": "train_detectors",
    "validate-personas": "validate_personas",
    "validate-rubric": "validate_rubric",
    "report": "session_report",
    "rescore": "rescore",
    "score-transcript": "score_transcript",
    "calibration-report": "calibration_report",
    "realism-report": "realism_report",
    "label": "label_utterances",
    "evaluate": "evaluate_scorers",
    "nlu-report": "nlu_report",
    "benchmark-latency": "benchmark_latency",
    "benchmark-scoring": "benchmark_scoring",
}


def quiet() -> None:
    """Quiet TensorFlow's start-up log (spaCy's thinc imports it, as installed for Rasa)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        known = ", ".join(COMMANDS)
        print(f"usage: extramile COMMAND [ARGS]\ncommands: {known}", file=sys.stderr if args else sys.stdout)
        return 0 if not args or args[0] in ("-h", "--help") else 2
    quiet()
    module = importlib.import_module(f"extramile.cli.{COMMANDS[args[0]]}")
    return int(module.main(args[1:]))
