"""Label every agent message of a transcript with the utterance detectors (actions.skills).

The scorer's input: for each agent message, whether it asks an open or closed question, reflects
the customer (and which message, and whether it invents anything), apologises, or argues, with the
quoted words. Labels depend only on a message and the messages before it, so they are cached: live
scoring after each turn labels only the new message.
"""

from __future__ import annotations

from functools import lru_cache

from actions.skill_events import Labels, TurnLabels
from actions.skills import ContextMessage, label_utterance
from actions.skills.argue_model import argue_probabilities, forget_probabilities
from actions.transcript import Transcript

# Enough earlier messages to hold the customer's last two turns of up to three messages each, so
# a reflection two agent messages after a disclosure can still be matched to it.
CONTEXT_MESSAGES = 8


@lru_cache(maxsize=50_000)
def _label(text: str, context: tuple[tuple[str, str], ...]) -> TurnLabels:
    found = label_utterance(text, [ContextMessage(speaker, said) for speaker, said in context])
    reflection = found.reflection_evidence
    return TurnLabels(
        question=found.question,
        question_quote=found.question_evidence.quote,
        reflection=found.reflection,
        reflection_quote=reflection.detection.quote,
        reflected_position=reflection.customer_index,  # an index into the context, mapped below
        invented=tuple(reflection.invented),
        apology=found.apology,
        apology_quote=found.apology_evidence.quote,
        argue=found.argue,
        argue_quote=found.argue_evidence.quote,
    )


def label_transcript(transcript: Transcript) -> Labels:
    # One pass of the arguing classifier over every agent message, rather than one per message.
    argue_probabilities([turn.text for turn in transcript.agent_turns])
    labels: Labels = {}
    for turn in transcript.agent_turns:
        before = transcript.before(turn, CONTEXT_MESSAGES)
        found = _label(turn.text, tuple((t.speaker, t.text) for t in before))
        if found.reflected_position is not None:
            found = TurnLabels(**{**found.__dict__,
                                  "reflected_position": before[found.reflected_position].position})
        labels[turn.position] = found
    return labels


def clear_label_cache() -> None:
    """Forget cached labels (for timing cold scoring)."""
    _label.cache_clear()
    forget_probabilities()
