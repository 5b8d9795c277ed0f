"""The labeller: runs every detector over a message or a whole transcript, with the trained models.

One object, built once when a server or tool starts, owns the detectors' models and the cache of
labels. Labels depend only on a message and the messages before it, so live scoring after each
message labels only the new one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from extramile.detectors.labels import MessageLabels, label_message
from extramile.detectors.models import DetectorModels
from extramile.detectors.questions import forget_question_cache
from extramile.detectors.reflections import ContextMessage
from extramile.detectors.text import forget_text_caches
from extramile.transcript import Transcript

# The chat before a message that the detectors see: the whole conversation in practice (a detail
# the customer gave at the start is still theirs at the end), bounded for very long sessions.
CONTEXT_MESSAGES = 60
CACHE_SIZE = 50_000

# The labels of each agent message, by its position in the session log.
Labels = dict[int, MessageLabels]


class Labeller:
    def __init__(self, models: DetectorModels):
        self.models = models
        self._label = lru_cache(maxsize=CACHE_SIZE)(self._label_uncached)

    @classmethod
    def load(cls, models_path: Path) -> Labeller:
        """The labeller with the models `make train` stored (ClassifierError if missing)."""
        return cls(DetectorModels.load(models_path))

    def label_message(self, text: str, context: Sequence[ContextMessage]) -> MessageLabels:
        """Labels of one agent message given the earlier chat, oldest first."""
        return self._label(text, tuple(context[-CONTEXT_MESSAGES:]))

    def label_transcript(self, transcript: Transcript) -> Labels:
        """Labels of every agent message; a reflection's `restates` is a log position."""
        agent = transcript.agent_messages
        befores = [transcript.before(message, CONTEXT_MESSAGES) for message in agent]
        contexts = [[ContextMessage(m.speaker, m.text) for m in before] for before in befores]
        # One batch through each model for the messages not seen before.
        self.models.argue_probabilities([m.text for m in agent])
        self.models.reflection_probabilities([(m.text, c) for m, c in zip(agent, contexts, strict=True)])
        labels: Labels = {}
        for message, before, context in zip(agent, befores, contexts, strict=True):
            found = self.label_message(message.text, context)
            if found.reflection.restates is not None:
                restates = before[found.reflection.restates].position
                found = dataclasses.replace(
                    found, reflection=dataclasses.replace(found.reflection, restates=restates)
                )
            labels[message.position] = found
        return labels

    def forget(self) -> None:
        """Forget cached labels, probabilities and text parses (for timing cold scoring)."""
        self._label.cache_clear()
        self.models.forget()
        forget_text_caches()
        forget_question_cache()

    def _label_uncached(self, text: str, context: tuple[ContextMessage, ...]) -> MessageLabels:
        [argues] = self.models.argue_probabilities([text])
        reflects = self.models.reflection_probability(text, context)
        return label_message(text, context, argues, reflects)
