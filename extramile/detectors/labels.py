"""The labels of one agent message: every detector's verdict with its evidence, in one record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extramile.detectors.apologies import detect_apology
from extramile.detectors.arguing import detect_argue
from extramile.detectors.detection import Detection
from extramile.detectors.questions import detect_question
from extramile.detectors.reflections import ContextMessage, Reflection, detect_reflection
from extramile.vocab import ApologyKind, QuestionKind


@dataclass(frozen=True)
class MessageLabels:
    """What the detectors found in one agent message: question, reflection, apology, arguing.

    Each verdict keeps its quote and its own explanation, which the scorecard shows."""

    question: Detection  # label: open | closed | none
    reflection: Reflection
    apology: Detection  # label: apology | non_apology | none
    argue: Detection  # label: argue | none

    @property
    def question_kind(self) -> QuestionKind:
        return self.question.label  # type: ignore[return-value]  # detect_question's labels

    @property
    def apology_kind(self) -> ApologyKind:
        return self.apology.label  # type: ignore[return-value]  # detect_apology's labels

    @property
    def argues(self) -> bool:
        return self.argue.label == "argue"

    def as_row(self) -> dict[str, object]:
        """The four labels only, as the labelling script writes them and gold files hold them."""
        return {
            "question": self.question.label,
            "reflection": self.reflection.found,
            "apology": self.apology.label,
            "argue": self.argues,
        }


def label_message(
    text: str, context: Sequence[ContextMessage], argue_probability: float, reflection_probability: float
) -> MessageLabels:
    """Label an agent message given the earlier chat (oldest first) and what the trained models
    give it (`extramile.detectors.models`)."""
    return MessageLabels(
        question=detect_question(text),
        reflection=detect_reflection(text, context, reflection_probability),
        apology=detect_apology(text),
        argue=detect_argue(text, argue_probability),
    )
