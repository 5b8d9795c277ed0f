"""NLU cross-validation: `extramile nlu-report [--folds 3]` (`make nlu-report`).

Runs Rasa's own cross-validation (`rasa test nlu --cross-validation`) on data/nlu.yml with the
project's config.yml, keeps every held-out prediction, and prints Markdown tables for the README:
per act (the project's 15 dialogue acts; a multi-act message counts for each of its acts, so a
message predicted `apologize+ask_open_question` that was `apologize` is right on `apologize` and a
false `ask_open_question`), the confusion between acts, and per intent (a multi-act intent right
only when every act is).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from extramile.settings import PROJECT_ROOT
from extramile.vocab import AGENT_ACTS, CLIENT_COMMANDS, MULTI_ACT_SEPARATOR


def _acts(intent: str) -> set[str]:
    return {a for a in intent.split(MULTI_ACT_SEPARATOR) if a not in CLIENT_COMMANDS}


def predictions(out: Path) -> list[tuple[str, str]]:
    """(gold intent, predicted intent) of every held-out example."""
    pairs = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            for row in json.loads(path.read_text(encoding="utf-8")):
                pairs.append((row["intent"], (row.get("intent_prediction") or {}).get("name") or ""))
    return pairs


def act_scores(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support of each act, over all messages."""
    scores: dict[str, tuple[float, float, float, int]] = {}
    for act in AGENT_ACTS:
        tp = sum(1 for g, p in pairs if act in _acts(g) and act in _acts(p))
        fp = sum(1 for g, p in pairs if act not in _acts(g) and act in _acts(p))
        fn = sum(1 for g, p in pairs if act in _acts(g) and act not in _acts(p))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[act] = (precision, recall, f1, tp + fn)
    return scores


def act_table(scores: dict[str, tuple[float, float, float, int]]) -> str:
    rows = ["| act | precision | recall | F1 | messages with it |", "|---|---|---|---|---|"]
    rows += [f"| {act} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |" for act, (p, r, f, n) in scores.items()]
    return "\n".join(rows)


def confusion(pairs: list[tuple[str, str]], top: int = 12) -> str:
    """The commonest confusions: an act in the gold that the model replaced with another."""
    counts: Counter[tuple[str, str]] = Counter()
    for gold, predicted in pairs:
        missed, extra = _acts(gold) - _acts(predicted), _acts(predicted) - _acts(gold)
        for m in missed:
            for e in extra or {"(none)"}:
                counts[(m, e)] += 1
        if not missed:
            for e in extra:
                counts[("(none)", e)] += 1
    rows = ["| act in the message | read as | times |", "|---|---|---|"]
    rows += [f"| {m} | {e} | {n} |" for (m, e), n in counts.most_common(top)]
    return "\n".join(rows)


def intent_table(report: dict[str, Any]) -> str:
    rows = ["| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for intent, scores in sorted(report.items()):
        if not isinstance(scores, dict) or "support" not in scores or intent.endswith(" avg"):
            continue
        rows.append(
            f"| {intent} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1-score']:.3f} | {scores['support']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile nlu-report", description=__doc__)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "nlu-cv")
    parser.add_argument("--reuse", action="store_true", help="report on the last run's files")
    args = parser.parse_args(argv)
    if not args.reuse:
        subprocess.run(
            [str(Path(sys.executable).parent / "rasa"), "test", "nlu", "--nlu", "data/nlu.yml",
             "--config", "config.yml", "--cross-validation", "--folds", str(args.folds), "--successes",
             "--out", str(args.out)],
            cwd=PROJECT_ROOT, check=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )  # fmt: skip
    pairs = [(g, p) for g, p in predictions(args.out) if g not in CLIENT_COMMANDS]
    scores = act_scores(pairs)
    print(act_table(scores))
    macro = sum(f for _, _, f, _ in scores.values()) / len(scores)
    exact = sum(_acts(g) == _acts(p) for g, p in pairs) / len(pairs) if pairs else 0.0
    print(
        f"\nacts: macro F1 {macro:.3f} over {len(scores)} acts; every act right in {exact:.3f} of "
        f"{len(pairs)} messages\n"
    )
    print(confusion(pairs))
    report = json.loads((args.out / "intent_report.json").read_text())
    print("\n" + intent_table(report))
    for key in ("accuracy", "macro avg", "weighted avg"):
        value = report.get(key)
        if isinstance(value, dict):
            print(
                f"intents {key}: precision {value['precision']:.3f}, recall {value['recall']:.3f}, "
                f"F1 {value['f1-score']:.3f}"
            )
        elif value is not None:
            print(f"intents {key}: {value:.3f}")
    return 0
