"""Agreement between gold labels and detector labels: per-class P/R/F1, macro F1, Cohen's kappa."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support

FIELDS: tuple[str, ...] = ("question", "reflection", "apology", "argue")


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class FieldScore:
    field: str
    n: int
    classes: list[ClassScore]
    macro_f1: float
    kappa: float

    def as_dict(self) -> dict:
        return asdict(self)


def score_field(field: str, gold: Sequence[object], predicted: Sequence[object]) -> FieldScore:
    """Scores for one field; labels compared as strings so booleans and names mix safely."""
    gold_s = [str(g).lower() for g in gold]
    pred_s = [str(p).lower() for p in predicted]
    labels = sorted(set(gold_s) | set(pred_s))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_s, pred_s, labels=labels, zero_division=0
    )
    classes = [
        ClassScore(label, float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    ]
    macro = float(f1_score(gold_s, pred_s, labels=labels, average="macro", zero_division=0))
    kappa = float(cohen_kappa_score(gold_s, pred_s)) if len(set(gold_s) | set(pred_s)) > 1 else 1.0
    return FieldScore(field, len(gold_s), classes, macro, kappa)


def score_all(gold_rows: Sequence[dict], predicted_rows: Sequence[dict]) -> list[FieldScore]:
    """Score every field that the gold rows carry, pairing rows by position."""
    scores = []
    for field in FIELDS:
        pairs = [(g[field], p[field]) for g, p in zip(gold_rows, predicted_rows, strict=True) if field in g]
        if pairs:
            gold, predicted = zip(*pairs, strict=True)
            scores.append(score_field(field, gold, predicted))
    return scores


def format_table(scores: Sequence[FieldScore]) -> str:
    """A plain-text table a person can read in a terminal."""
    lines: list[str] = []
    for score in scores:
        lines.append(
            f"{score.field}  (n={score.n})  macro F1 {score.macro_f1:.3f}  Cohen's kappa {score.kappa:.3f}"
        )
        lines.append(f"  {'class':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}")
        for c in score.classes:
            lines.append(f"  {c.label:<14}{c.precision:>10.3f}{c.recall:>10.3f}{c.f1:>10.3f}{c.support:>10}")
        lines.append("")
    return "\n".join(lines)
