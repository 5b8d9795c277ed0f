"""The persona file's schema: what a trainer writes in YAML to describe a simulated customer.

A persona is data, not code: who the customer is, what happened to them, which facts they reveal
and when, how they react to each agent act at each mood, and what resolves or escalates the call.
Strict models: a misspelt field is an error, and every list of replies holds at least one reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from typing import Any

from pydantic import BaseModel, Field, root_validator, validator

from extramile.vocab import AgentAct, Difficulty, FixKind, MoodBand, Temperament

_POUNDS = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)")


class Replies(list):
    """Alternative replies, each a turn of one or more messages the customer types in a row.

    A trainer may write one reply as a plain string (`high: "Okay."`), a list of alternatives
    (`- "Let me finish!"`), or an alternative of several messages (`- ["Hang on.", "Let me
    finish."]`): all become a list of turns. An empty list is an error, because the engine would
    have nothing to say when that situation comes up."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Replies]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> Replies:
        alternatives = [value] if isinstance(value, str) else value
        if not isinstance(alternatives, list):
            raise ValueError("replies must be a text, or a list of texts or of lists of texts")
        if not alternatives:
            raise ValueError("give at least one reply")
        turns = cls()
        for reply in alternatives:
            messages = [reply] if isinstance(reply, str) else reply
            if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
                raise ValueError(f"a reply must be a text or a list of texts, not {reply!r}")
            if not messages or any(not m.strip() for m in messages):
                raise ValueError("a reply must hold at least one non-empty message")
            turns.append([m.strip() for m in messages])
        return turns


class _Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt field is an error, not silently ignored
        anystr_strip_whitespace = True


def _topic_not_blank(cls: type, topic: str) -> str:
    """A topic is words a question or an offer mentions: a blank one would never match."""
    if not topic.strip():
        raise ValueError("a topic needs some words")
    return topic.strip()


class Fact(_Strict):
    """Something the agent should uncover. A question about one of its topics brings it out;
    otherwise an act in `revealed_by` brings out the next fact in the order they are listed."""

    id: str = Field(..., regex=r"^[a-z0-9_]+$")
    description: str = Field(..., min_length=1)
    # Words and phrases a question about this fact would use ("bill", "how much", "TV add-on");
    # synonyms are matched too ("charge" for "bill").
    topics: list[str] = Field(..., min_items=1)
    revealed_by: list[AgentAct] = Field(default_factory=lambda: ["ask_open_question"], min_items=1)
    reveal: Replies

    _topics_not_blank = validator("topics", each_item=True, allow_reuse=True)(_topic_not_blank)


class Fix(_Strict):
    """An offer that fixes the customer's problem: its kind, the amount it must reach, and what
    else it must cover ("refund at least £26 and remove the TV add-on")."""

    kind: FixKind
    at_least: float | None = Field(None, gt=0)  # £, the amount the offer must name (or "in full")
    covers: list[str] = Field(default_factory=list)  # topics the offer must also mention
    after_facts: list[str] | None = None  # facts the agent must know first (default: requires_facts)

    _covers_not_blank = validator("covers", each_item=True, allow_reuse=True)(_topic_not_blank)


class FobOff(_Strict):
    """An offer that does not fix it: a kind of fix for less than an amount, or set words."""

    kind: FixKind | None = None
    below: float | None = Field(None, gt=0)
    says: list[str] = Field(default_factory=list)  # phrases: "nothing I can do", "best I can do"

    @root_validator(skip_on_failure=True)
    def _something_to_match(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not values.get("says") and not (values.get("kind") and values.get("below")):
            raise ValueError("a fob-off needs `says` phrases, or a `kind` with `below`")
        return values


class Resolution(_Strict):
    """What resolves the call: an acceptable fix, offered once these facts are known and the mood
    allows; what is offered short of it is a fob-off."""

    requires_facts: list[str] = Field(default_factory=list)
    min_mood: int = Field(0, ge=0, le=100)
    fixes: list[Fix] = Field(..., min_items=1)
    fob_offs: list[FobOff] = Field(default_factory=list)
    reply: Replies


class Escalation(_Strict):
    """When the customer gives up: mood falls below `give_up_below`."""

    give_up_below: int = Field(10, ge=0, le=100)
    reply: Replies


class Scenario(_Strict):
    title: str = Field(..., min_length=1)
    situation: str = Field(..., min_length=1)
    facts: list[Fact] = Field(..., min_items=1)
    resolution: Resolution
    escalation: Escalation

    @root_validator(skip_on_failure=True)
    def _required_facts_exist(cls, values: dict[str, Any]) -> dict[str, Any]:
        fact_ids = [fact.id for fact in values["facts"]]
        duplicates = {i for i in fact_ids if fact_ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"fact ids must be unique; repeated: {sorted(duplicates)}")
        resolution = values["resolution"]
        unknown = [f for f in resolution.requires_facts if f not in fact_ids]
        for fix in resolution.fixes:
            unknown += [f for f in fix.after_facts or () if f not in fact_ids]
        if unknown:
            raise ValueError(
                f"resolution names unknown facts {sorted(set(unknown))}; the facts are {fact_ids}"
            )
        # A fix must be one the agent can reach: its amount no more than the customer's own
        # facts (or the situation) put a figure on.
        said = " ".join(
            [values["situation"]]
            + [f.description for f in values["facts"]]
            + [line for f in values["facts"] for turn in f.reveal for line in turn]
        )
        largest = max((float(a.replace(",", "")) for a in _POUNDS.findall(said)), default=0.0)
        for fix in resolution.fixes:
            if fix.at_least is not None and fix.at_least > largest:
                raise ValueError(
                    f"a {fix.kind} fix asks for at least £{fix.at_least:g}, but the customer never "
                    f"mentions more than £{largest:g}: the agent could not know that amount"
                )
        return values


class MoodReplies(_Strict):
    """Alternative replies at each mood band: low (< 35), mid, high (>= 65); at least one band."""

    low: Replies | None = None
    mid: Replies | None = None
    high: Replies | None = None

    @root_validator(skip_on_failure=True)
    def _not_empty(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not any(values.get(band) for band in ("low", "mid", "high")):
            raise ValueError("give replies for at least one of low, mid, high")
        return values

    def for_band(self, band: MoodBand, said: Collection[str] = ()) -> Replies:
        """Replies for the band, falling back to the nearest band that has some; with `said`, the
        nearest band that still has a reply none of whose lines were said (a customer does not say
        the same line twice while they have another), else the band's own."""
        order = {
            "low": ("low", "mid", "high"),
            "mid": ("mid", "low", "high"),
            "high": ("high", "mid", "low"),
        }[band]
        bands = [replies for b in order if (replies := getattr(self, b))]
        fresh = (r for r in bands if any(not set(option) & set(said) for option in r))
        return next(fresh, bands[0])


class Situations(_Strict):
    """What the customer says in situations that are not a reaction to one act."""

    interrupted: Replies
    premature_solution: Replies
    nudge: Replies
    yes_no_answer: Replies
    agent_closed: Replies
    dont_know: Replies  # asked about something they do not know
    unclear: Replies  # a message they cannot make sense of
    gives_details: Replies  # asked for an account number, a postcode, an order reference
    corrected: Replies  # a paraphrase with a wrong detail; may use {wrong} and {right}
    fob_off: Replies  # an offer that does not fix the problem
    anything_else: Replies  # asked if there is anything else, once the problem is fixed
    closing: Replies  # their goodbye once the problem is fixed


class Typing(_Strict):
    """How fast the customer types: drives when each message of a turn arrives."""

    chars_per_second: float = Field(default=6.0, gt=0.5, le=50)
    pause_seconds: float = Field(default=1.0, ge=0, le=30)


class Mood(_Strict):
    start: int = Field(default=40, ge=0, le=100)
    # Overrides of the temperament's mood change per agent act.
    effects: dict[AgentAct, int] = Field(default_factory=dict)


class Persona(_Strict):
    """A simulated customer: everything the engine needs to play them."""

    id: str = Field(..., regex=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(..., min_length=1)
    temperament: Temperament
    difficulty: Difficulty
    typing: Typing = Field(default_factory=lambda: Typing())
    mood: Mood = Field(default_factory=lambda: Mood())
    scenario: Scenario
    opening: Replies
    replies: dict[AgentAct, MoodReplies]
    situations: Situations

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.scenario.facts if f.id == fact_id)
