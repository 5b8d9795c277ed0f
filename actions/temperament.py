"""How each temperament's mood moves with what the agent does (DESIGN.md's temperament table).

Two parts: a mood change per agent act, and a few rules on the message as a whole (its length,
how many questions it asks, numbers and reasons, how long the customer has waited for a solution).
A persona file may override the per-act numbers; the rules are the temperament's own.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_BASE: dict[str, int] = {
    "greet": 1, "introduce_self": 1, "ask_open_question": 2, "ask_closed_question": 0,
    "reflect": 4, "apologize": 5, "empathize": 3, "explain": 2, "offer_solution": 8,
    "promise_follow_up": 3, "ask_permission": 1, "thank": 1, "goodbye": 0,
    "argue": -15, "out_of_scope": -6,
}

MOOD_EFFECTS: dict[str, dict[str, int]] = {
    # wants the bottom line: a fix moves them most; pleasantries barely count
    "aggressive": {**_BASE, "greet": 0, "introduce_self": 0, "ask_open_question": 1,
                   "empathize": 1, "apologize": 4, "offer_solution": 14, "ask_permission": -1,
                   "thank": 0, "argue": -20, "out_of_scope": -8},
    # wants warmth and to be heard
    "expressive": {**_BASE, "greet": 3, "introduce_self": 4, "ask_open_question": 4,
                   "ask_closed_question": -1, "reflect": 8, "empathize": 8, "apologize": 6,
                   "thank": 3, "offer_solution": 6},
    # wants gentle open questions and reassurance; closed questions shut them down
    "passive": {**_BASE, "ask_open_question": 6, "ask_closed_question": -2, "reflect": 5,
                "empathize": 6, "apologize": 5, "ask_permission": 3, "offer_solution": 7,
                "argue": -12},
    # wants detail, numbers and reasons
    "analytical": {**_BASE, "greet": 0, "empathize": 1, "apologize": 3, "explain": 6,
                   "offer_solution": 7, "reflect": 3},
}

_NUMBER = re.compile(r"\d|£|\$|€|%")
_REASON = re.compile(r"\b(because|due to|since|as a result|the reason|which means)\b", re.I)
_WARMTH_ACTS = {"greet", "empathize", "reflect", "apologize", "thank", "introduce_self"}


@dataclass(frozen=True)
class MoodChange:
    """A change of mood and the reasons for it, kept for the session log."""

    delta: int
    reasons: tuple[str, ...]


def message_rules(
    temperament: str,
    text: str,
    acts: Sequence[str],
    agent_turn: int,
    solution_offered: bool,
) -> list[tuple[int, str]]:
    """Mood changes from the message as a whole, by temperament, each with its reason."""
    words = len(text.split())
    questions = text.count("?")
    specific = bool(_NUMBER.search(text) or _REASON.search(text))
    rules: list[tuple[int, str]] = []
    if temperament == "aggressive":
        if words > 45:
            rules.append((-5, "long message"))
        if questions > 1:
            rules.append((-3, "several questions at once"))
        if agent_turn >= 5 and not solution_offered and "offer_solution" not in acts:
            rules.append((-4, "still no solution"))
    elif temperament == "expressive":
        if words < 6 and not _WARMTH_ACTS.intersection(acts):
            rules.append((-4, "cold, curt reply"))
    elif temperament == "passive":
        if "ask_closed_question" in acts and "ask_open_question" not in acts and questions > 1:
            rules.append((-2, "a string of closed questions"))
    elif temperament == "analytical" and {"explain", "offer_solution"}.intersection(acts):
        rules.append((4, "specifics given") if specific else (-4, "vague, no numbers or reasons"))
    return rules


def mood_change(
    temperament: str,
    overrides: Mapping[str, int],
    text: str,
    acts: Sequence[str],
    agent_turn: int,
    solution_offered: bool,
) -> MoodChange:
    """The whole mood change for one agent message: its acts plus the temperament's rules."""
    effects = {**MOOD_EFFECTS[temperament], **overrides}
    parts = [(effects[act], act) for act in dict.fromkeys(acts) if effects.get(act)]
    parts += message_rules(temperament, text, acts, agent_turn, solution_offered)
    return MoodChange(
        delta=sum(d for d, _ in parts),
        reasons=tuple(f"{reason} ({d:+d})" for d, reason in parts),
    )
