"""Measure the detectors against a gold JSON-lines file: `extramile evaluate GOLD.jsonl`.

Each gold line is {"id", "text", "context", "gold": {...}} (or the labels at the top level). Prints,
for each of question / reflection / apology / argue that the gold carries, per-class precision,
recall, F1 and support, macro F1 and Cohen's kappa. With --predictions, scores that file's labels
(matched by id) instead of running the detectors.
"""

from __future__ import annotations

import argparse
import json
import sys

from extramile.cli.common import load_labeller
from extramile.detectors import ContextMessage
from extramile.detectors.evaluation import FIELDS, format_table, score_all
from extramile.settings import load_settings


def gold_labels(row: dict) -> dict:
    """The gold labels of a row, whether nested under "gold" or at the top level."""
    source = row.get("gold", row)
    return {field: source[field] for field in FIELDS if field in source}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="extramile evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("gold", help="gold JSON-lines file")
    parser.add_argument("--predictions", help="JSON-lines labels to score instead of running the detectors")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    args = parser.parse_args(argv)
    with open(args.gold, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if args.predictions:
        with open(args.predictions, encoding="utf-8") as handle:
            by_id = {p["id"]: p for p in (json.loads(line) for line in handle if line.strip())}
        missing = [r["id"] for r in rows if r["id"] not in by_id]
        if missing:
            print(f"predictions lack {len(missing)} gold id(s), e.g. {missing[:3]}", file=sys.stderr)
            return 1
        predicted = [by_id[r["id"]] for r in rows]
    else:
        labeller = load_labeller(load_settings())
        predicted = [
            labeller.label_message(
                r["text"], [ContextMessage(c["speaker"], c["text"]) for c in r.get("context", [])]
            ).as_row()
            for r in rows
        ]
    scores = score_all([gold_labels(r) for r in rows], predicted)
    if args.json:
        print(json.dumps([s.as_dict() for s in scores], indent=2))
    else:
        print(format_table(scores))
    return 0
