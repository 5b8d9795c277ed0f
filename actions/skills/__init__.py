"""Utterance-level skill detectors: questions, reflections, apologies and arguing in agent messages.

Rule-based on a blank spaCy pipeline so it runs offline and explains every verdict; no Rasa imports.
"""

from actions.skills.apologies import detect_apology
from actions.skills.arguing import detect_argue
from actions.skills.labels import UtteranceLabels, label_utterance
from actions.skills.questions import detect_question
from actions.skills.reflections import ContextMessage, ReflectionResult, detect_reflection
from actions.skills.result import Detection

__all__ = [
    "ContextMessage",
    "Detection",
    "ReflectionResult",
    "UtteranceLabels",
    "detect_apology",
    "detect_argue",
    "detect_question",
    "detect_reflection",
    "label_utterance",
]
