"""The detectors' two trained models: arguing, and reflections, learned from the project's own data.

Set phrases catch "calm down" and "as I already said", and rules say which sentence restates
what, but whether a message argues or paraphrases in other words needs models. Both learn only
from examples written for this project: the arguing model from the NLU's agent-act examples
(`data/nlu.yml`: intent `argue` against every other act) and from the labelled messages in
`data/detectors/` (its `argue` labels); the reflection model from those labelled messages, over
the reflection rules' signals (`reflection_features`) and the message with the customer's own
words masked (`masked_text`). Logistic regression, fixed seeds: the same data always gives the
same models.

`make train` trains them beside the Rasa model (`extramile train-detectors`) and stores them with
the hash of the data they learned from and of the feature code; the servers and tools load that
file at start. Scorecards record the data hash, so re-scoring can tell retrained models from a
change in the scorer.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse
import sklearn
import yaml
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from extramile.detectors.reflections import ContextMessage, masked_text, reflection_features

CACHE_LIMIT = 50_000  # probabilities kept, so a long-running server stays small
_HERE = Path(__file__).parent
# The code the reflection features come from: a model trained on other features is out of date.
FEATURE_CODE = [
    _HERE / name
    for name in ("reflections.py", "questions.py", "text.py", "lexicon/words.py", "lexicon/synonyms.py",
                 "lexicon/feelings.py", "lexicon/questions.py")
]  # fmt: skip


class ClassifierError(Exception):
    """The models' file is missing or unusable; the message says how to make a new one."""


def data_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def feature_code_version() -> str:
    """The reflection features' code: a model trained on other features must be trained again."""
    return data_hash(FEATURE_CODE)[:16]


def nlu_examples(nlu_data: Path) -> tuple[list[str], list[int]]:
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


def labelled_messages(path: Path) -> list[dict[str, Any]]:
    """Labelled agent messages in the gold format: {"text", "context", "gold": {...}}."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _context(row: dict[str, Any]) -> list[ContextMessage]:
    return [ContextMessage(c["speaker"], c["text"]) for c in row.get("context", [])]


class ReflectionModel:
    """Logistic regression over the rules' signals and the masked message's word n-grams."""

    def __init__(self) -> None:
        self.signals = DictVectorizer()
        self.framing = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        self.classifier = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000, random_state=0)

    def _matrix(self, rows: Sequence[tuple[str, Sequence[ContextMessage]]], fit: bool) -> Any:
        signals = [reflection_features(text, context) for text, context in rows]
        framing = [masked_text(text, context) for text, context in rows]
        if fit:
            return scipy.sparse.hstack(
                [self.signals.fit_transform(signals), self.framing.fit_transform(framing)]
            ).tocsr()
        return scipy.sparse.hstack([self.signals.transform(signals), self.framing.transform(framing)]).tocsr()

    def fit(
        self, rows: Sequence[tuple[str, Sequence[ContextMessage]]], labels: Sequence[int]
    ) -> ReflectionModel:
        self.classifier.fit(self._matrix(rows, fit=True), np.asarray(labels))
        return self

    def probabilities(self, rows: Sequence[tuple[str, Sequence[ContextMessage]]]) -> list[float]:
        if not rows:
            return []
        return [float(p) for p in self.classifier.predict_proba(self._matrix(rows, fit=False))[:, 1]]


def _argue_pipeline() -> Pipeline:
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
    )
    classifier = LogisticRegression(C=4, class_weight="balanced", max_iter=2000, random_state=0)
    return make_pipeline(features, classifier)


class DetectorModels:
    """Both trained models, the hash of the data they learned from, and caches of what they gave."""

    def __init__(self, argue: Pipeline, reflection: ReflectionModel, trained_on: str, features: str):
        self.argue = argue
        self.reflection = reflection
        self.trained_on = trained_on  # sha256 of the NLU data and the labelled messages
        self.features = features  # the reflection feature code they were trained with
        self._known: OrderedDict[Any, float] = OrderedDict()  # (model, input) -> probability
        self._lock = threading.Lock()

    @classmethod
    def train(cls, nlu_data: Path, labelled: Sequence[Path]) -> DetectorModels:
        texts, labels = nlu_examples(nlu_data)
        rows = [row for path in labelled for row in labelled_messages(path)]
        argued = [r for r in rows if "argue" in r["gold"]]
        argue = _argue_pipeline().fit(
            texts + [r["text"] for r in argued], labels + [int(r["gold"]["argue"]) for r in argued]
        )
        reflected = [r for r in rows if "reflection" in r["gold"]]
        reflection = ReflectionModel().fit(
            [(r["text"], _context(r)) for r in reflected], [int(r["gold"]["reflection"]) for r in reflected]
        )
        return cls(argue, reflection, data_hash([nlu_data, *labelled]), feature_code_version())

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        record: dict[str, Any] = {
            "argue": self.argue,
            "reflection": self.reflection,
            "trained_on": self.trained_on,
            "features": self.features,
            "sklearn": sklearn.__version__,
        }
        joblib.dump(record, path)

    @classmethod
    def load(cls, path: Path) -> DetectorModels:
        if not path.exists():
            raise ClassifierError(f"{path} does not exist: run `make train` to train the detectors' models.")
        try:
            record = joblib.load(path)
        except Exception as error:  # a truncated or foreign file: say so, whatever joblib raised
            raise ClassifierError(f"{path} cannot be read ({error}); run `make train` again.") from None
        if not isinstance(record, dict) or record.get("sklearn") != sklearn.__version__:
            raise ClassifierError(
                f"{path} was not trained with this scikit-learn ({sklearn.__version__}): "
                "run `make train` again."
            )
        if record.get("features") != feature_code_version():
            raise ClassifierError(
                f"{path} was trained with other reflection features than this code's: run `make train` again."
            )
        return cls(record["argue"], record["reflection"], record["trained_on"], record["features"])

    def argue_probabilities(self, texts: Sequence[str]) -> list[float]:
        """The probability that each text argues."""
        return self._batched(
            [("argue", text) for text in texts],
            lambda keys: self.argue.predict_proba([text for _, text in keys])[:, 1],
        )

    def reflection_probabilities(self, rows: Sequence[tuple[str, Sequence[ContextMessage]]]) -> list[float]:
        """The probability that each text, after its context, reflects the customer."""
        return self._batched(
            [("reflection", (text, tuple(context))) for text, context in rows],
            lambda keys: self.reflection.probabilities([row for _, row in keys]),
        )

    def reflection_probability(self, text: str, context: Sequence[ContextMessage]) -> float:
        [probability] = self.reflection_probabilities([(text, context)])
        return probability

    def _batched(self, keys: list[Any], predict: Callable[[list[Any]], Iterable[float]]) -> list[float]:
        """Probabilities from the cache, the new ones through the model in one batch:
        scikit-learn's overhead per call is most of the cost of one short message."""
        with self._lock:
            found = {key: self._known[key] for key in keys if key in self._known}
        new = [key for key in dict.fromkeys(keys) if key not in found]
        if new:
            found.update(zip(new, (float(p) for p in predict(new)), strict=True))
        with self._lock:
            for key, probability in found.items():
                self._known[key] = probability
                self._known.move_to_end(key)
            while len(self._known) > CACHE_LIMIT:
                self._known.popitem(last=False)
        return [found[key] for key in keys]

    def forget(self) -> None:
        """Forget computed probabilities (for timing cold scoring)."""
        with self._lock:
            self._known.clear()
