"""One call that runs every detector on an agent message and keeps the evidence for the scorecard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from actions.skills.apologies import detect_apology
from actions.skills.arguing import detect_argue
from actions.skills.questions import detect_question
from actions.skills.reflections import ContextMessage, ReflectionResult, detect_reflection
from actions.skills.result import Detection


@dataclass(frozen=True)
class UtteranceLabels:
    """All four skill labels of one agent message, with the evidence behind each."""

    question: str
    reflection: bool
    apology: str
    argue: bool
    question_evidence: Detection
    reflection_evidence: ReflectionResult
    apology_evidence: Detection
    argue_evidence: Detection

    def as_row(self) -> dict[str, object]:
        """The labels only, as the labelling script writes them."""
        return {
            "question": self.question,
            "reflection": self.reflection,
            "apology": self.apology,
            "argue": self.argue,
        }


def label_utterance(text: str, context: Sequence[ContextMessage]) -> UtteranceLabels:
    """Label an agent message given the earlier chat (oldest first)."""
    question = detect_question(text)
    reflection = detect_reflection(text, context)
    apology = detect_apology(text)
    argue = detect_argue(text)
    return UtteranceLabels(
        question=question.label,
        reflection=reflection.detection.label == "reflection",
        apology=apology.label,
        argue=argue.label == "argue",
        question_evidence=question,
        reflection_evidence=reflection,
        apology_evidence=apology,
        argue_evidence=argue,
    )
