"""A small arguing classifier, trained on the project's own agent-act examples (data/nlu.yml).

Set phrases catch "calm down" and "as I already said"; arguing in other words ("our records show
we called you twice", "with respect, you agreed to the terms") needs a model. The agent-act
examples written for Rasa's NLU label arguing (intent `argue`) against every other act, so they
double as training data: word and character n-grams, logistic regression, a fixed seed. It trains
in about a second on first use; the same data always gives the same model.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

NLU_DATA = Path(__file__).resolve().parent.parent.parent / "data" / "nlu.yml"
THRESHOLD = 0.5  # logistic regression's own decision boundary; not tuned on any test set


def training_examples(path: Path = NLU_DATA) -> tuple[list[str], list[int]]:
    """Every example in the NLU file, labelled 1 when its intent includes `argue`."""
    texts, labels = [], []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        arguing = int("argue" in block["intent"].split("+"))
        for line in block.get("examples", "").splitlines():
            example = line.strip().removeprefix("- ").strip()
            if example:
                texts.append(example)
                labels.append(arguing)
    return texts, labels


@lru_cache(maxsize=1)
def argue_model() -> Pipeline:
    texts, labels = training_examples()
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
    )
    classifier = LogisticRegression(C=4, class_weight="balanced", max_iter=2000, random_state=0)
    return make_pipeline(features, classifier).fit(texts, labels)


# Probabilities already computed, most recent last; bounded so a long-running server stays small.
_known: OrderedDict[str, float] = OrderedDict()
KNOWN_LIMIT = 50_000


def argue_probabilities(texts: Sequence[str]) -> list[float]:
    """The probability that each text argues. Texts not seen before go through the model in one
    batch: scikit-learn's overhead per call is most of the cost of a single short text."""
    found = {text: _known[text] for text in texts if text in _known}
    new = [text for text in dict.fromkeys(texts) if text not in found]
    if new:
        found.update(zip(new, (float(p) for p in argue_model().predict_proba(new)[:, 1]), strict=True))
    for text, probability in found.items():
        _known[text] = probability
        _known.move_to_end(text)
    while len(_known) > KNOWN_LIMIT:
        _known.popitem(last=False)
    return [found[text] for text in texts]


def argue_probability(text: str) -> float:
    return argue_probabilities([text])[0]


def forget_probabilities() -> None:
    """Forget computed probabilities (for timing cold scoring)."""
    _known.clear()
