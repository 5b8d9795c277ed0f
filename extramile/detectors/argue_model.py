"""The arguing classifier, trained on the project's own agent-act examples (data/nlu.yml).

Set phrases catch "calm down" and "as I already said"; arguing in other words ("our records show
we called you twice", "with respect, you agreed to the terms") needs a model. The agent-act
examples written for Rasa's NLU label arguing (intent `argue`) against every other act, so they
double as training data: word and character n-grams, logistic regression, a fixed seed; the same
data always gives the same model.

`make train` trains it beside the Rasa model (`extramile train-classifier`) and stores it with the
hash of the data it learned from; the servers and tools load that file at start. Scorecards record
the hash, so re-scoring can tell a retrained classifier from a change in the scorer.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

THRESHOLD = 0.5  # logistic regression's own decision boundary; not tuned on any test set
CACHE_LIMIT = 50_000  # probabilities kept, so a long-running server stays small


class ClassifierError(Exception):
    """The classifier file is missing or unusable; the message says how to make a new one."""


def data_hash(nlu_data: Path) -> str:
    return hashlib.sha256(nlu_data.read_bytes()).hexdigest()


def training_examples(nlu_data: Path) -> tuple[list[str], list[int]]:
    """Every example in the NLU file, labelled 1 when its intent includes `argue`."""
    texts, labels = [], []
    for block in yaml.safe_load(nlu_data.read_text(encoding="utf-8"))["nlu"]:
        arguing = int("argue" in block["intent"].split("+"))
        for line in block.get("examples", "").splitlines():
            example = line.strip().removeprefix("- ").strip()
            if example:
                texts.append(example)
                labels.append(arguing)
    return texts, labels


class ArguingClassifier:
    """The trained pipeline and the hash of its training data; caches what it has computed."""

    def __init__(self, pipeline: Pipeline, trained_on: str):
        self.pipeline = pipeline
        self.trained_on = trained_on  # sha256 of data/nlu.yml when it was trained
        self._known: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def train(cls, nlu_data: Path) -> ArguingClassifier:
        texts, labels = training_examples(nlu_data)
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
        )
        classifier = LogisticRegression(C=4, class_weight="balanced", max_iter=2000, random_state=0)
        return cls(make_pipeline(features, classifier).fit(texts, labels), data_hash(nlu_data))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        record: dict[str, Any] = {
            "pipeline": self.pipeline,
            "trained_on": self.trained_on,
            "sklearn": sklearn.__version__,
        }
        joblib.dump(record, path)

    @classmethod
    def load(cls, path: Path) -> ArguingClassifier:
        if not path.exists():
            raise ClassifierError(f"{path} does not exist: run `make train` to train the classifier.")
        try:
            record = joblib.load(path)
        except Exception as error:  # a truncated or foreign file: say so, whatever joblib raised
            raise ClassifierError(f"{path} cannot be read ({error}); run `make train` again.") from None
        if record.get("sklearn") != sklearn.__version__:
            raise ClassifierError(
                f"{path} was trained with scikit-learn {record.get('sklearn')}, this is "
                f"{sklearn.__version__}: run `make train` again."
            )
        return cls(record["pipeline"], record["trained_on"])

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """The probability that each text argues. Texts not seen before go through the model in
        one batch: scikit-learn's overhead per call is most of the cost of a short text."""
        with self._lock:
            found = {text: self._known[text] for text in texts if text in self._known}
        new = [text for text in dict.fromkeys(texts) if text not in found]
        if new:
            predicted = self.pipeline.predict_proba(new)[:, 1]
            found.update(zip(new, (float(p) for p in predicted), strict=True))
        with self._lock:
            for text, probability in found.items():
                self._known[text] = probability
                self._known.move_to_end(text)
            while len(self._known) > CACHE_LIMIT:
                self._known.popitem(last=False)
        return [found[text] for text in texts]

    def forget(self) -> None:
        """Forget computed probabilities (for timing cold scoring)."""
        with self._lock:
            self._known.clear()
