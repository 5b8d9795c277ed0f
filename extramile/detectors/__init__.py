"""Detectors: what one agent message does (questions, reflections, apologies, arguing), with evidence.

Rules on a blank spaCy pipeline plus two small models trained on the project's own examples
(`models.py`), so they run offline and explain every verdict; nothing here knows of Rasa or the
database.
"""

from extramile.detectors.apologies import detect_apology
from extramile.detectors.arguing import detect_argue
from extramile.detectors.detection import Detection
from extramile.detectors.labeller import Labeller, Labels
from extramile.detectors.labels import MessageLabels, label_message
from extramile.detectors.questions import detect_question
from extramile.detectors.reflections import ContextMessage, Reflection, detect_reflection

__all__ = [
    "ContextMessage",
    "Detection",
    "Labeller",
    "Labels",
    "MessageLabels",
    "Reflection",
    "detect_apology",
    "detect_argue",
    "detect_question",
    "detect_reflection",
    "label_message",
]
