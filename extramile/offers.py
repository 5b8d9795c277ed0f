"""Whether an agent's offer fixes the customer's problem, as the persona says what would.

A persona lists the fixes that resolve its problem (a kind of fix, the amount it must reach, what
else it must cover) and the fob-offs it will not accept (a kind for less than an amount, set
words). `judge` compares an offer with them; the customer engine accepts a fix and refuses a
fob-off (with the persona's `fob_off` lines, which say why in the customer's words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extramile.detectors.lexicon.fixes import FIX_WORDS, IN_FULL
from extramile.detectors.text import figures, normalise
from extramile.personas import Fix, FobOff, Persona
from extramile.topics import mentions
from extramile.vocab import FIX_KINDS, FixKind, complete

complete(FIX_WORDS, FIX_KINDS, "the words of each kind of fix")


@dataclass(frozen=True)
class Verdict:
    fix: Fix | None  # the persona's fix the offer makes; None: it fixes nothing (a fob-off)

    @property
    def accepted(self) -> bool:
        return self.fix is not None


def _offers(text: str, kind: FixKind) -> bool:
    said = normalise(text).lower()
    return any(re.search(rf"\b{re.escape(word)}", said) for word in FIX_WORDS[kind])


def _amounts(text: str) -> list[float]:
    found = []
    for figure in figures(text):
        if figure.startswith(("£", "$", "€")):
            try:
                found.append(float(figure[1:]))
            except ValueError:
                continue
    return found


def _in_full(text: str) -> bool:
    said = normalise(text).lower()
    return any(phrase in said for phrase in IN_FULL)


def example(fix: Fix) -> str:
    """An offer that makes this fix, in the words it is recognised by: for trainers checking a
    persona, and for tests."""
    amount = f" £{fix.at_least:g}" if fix.at_least else ""
    covers = f", covering the {' and the '.join(fix.covers)}" if fix.covers else ""
    return f"I'll {FIX_WORDS[fix.kind][0]}{amount} for you today{covers}."


def _fob_off(text: str, fob_off: FobOff) -> bool:
    said = normalise(text).lower()
    if any(phrase.lower() in said for phrase in fob_off.says):
        return True
    if fob_off.kind and fob_off.below and _offers(text, fob_off.kind):
        amounts = _amounts(text)
        return bool(amounts) and max(amounts) < fob_off.below
    return False


def _fixes(text: str, fix: Fix) -> bool:
    if not _offers(text, fix.kind):
        return False
    if fix.at_least is not None:
        amounts = _amounts(text)
        if not (amounts and max(amounts) >= fix.at_least) and not _in_full(text):
            return False
    return all(mentions(text, topic) for topic in fix.covers)


def judge(text: str, persona: Persona) -> Verdict:
    """Does this offer fix the problem? Fob-offs first: "£10, that's the best I can do" is one
    even though it is a credit."""
    resolution = persona.scenario.resolution
    for fob_off in resolution.fob_offs:
        if _fob_off(text, fob_off):
            return Verdict(None)
    for fix in resolution.fixes:
        if _fixes(text, fix):
            return Verdict(fix)
    return Verdict(None)
