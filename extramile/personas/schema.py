"""The persona file's schema: what a trainer writes in YAML to describe a simulated customer.

A persona is data, not code: who the customer is, what happened to them, which facts they reveal
and when, how they react to each agent act at each mood, and what resolves or escalates the call.
Strict models: a misspelt field is an error, and every list of replies holds at least one reply.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from typing import Any

from pydantic import BaseModel, Field, ValidationError, root_validator, validator
from pydantic.error_wrappers import ErrorWrapper

from extramile.vocab import AgentAct, Difficulty, FixKind, MoodBand, Temperament

_POUNDS = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)")


class Replies(list):
    """Alternative replies, each a turn of one or more messages the customer types in a row.

    A trainer writes a list of alternatives: one message each (`- "Let me finish!"`), or several
    messages typed in a row (`- ["Hang on.", "Let me finish."]`). Each message must be text as
    YAML reads it: an unquoted `- Look: I want this fixed.` is a mapping and `- 42` a number, so
    both are errors at their line that say to quote the message. A bare string where the list
    belongs is an error too, rather than guessed at. An empty list is an error, because the
    engine would have nothing to say when that situation comes up."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Replies]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> Replies:
        if isinstance(value, str):
            raise ValueError(f"replies are a list, not one text: write it as a list: - {_quoted(value)}")
        if not isinstance(value, list):
            raise ValueError(f'replies are a list of texts, not {_shown(value)}: write it as a list: - "..."')
        if not value:
            raise ValueError("give at least one reply")
        turns = cls()
        errors: list[ErrorWrapper] = []
        for i, reply in enumerate(value):
            messages = reply if isinstance(reply, list) else [reply]
            if not messages:
                errors.append(
                    ErrorWrapper(ValueError("a reply must hold at least one non-empty message"), (i,))
                )
            for j, message in enumerate(messages):
                place = (i, j) if isinstance(reply, list) else (i,)
                problem = _message_problem(message)
                if problem:
                    errors.append(ErrorWrapper(ValueError(problem), place))
            if not errors:
                turns.append([m.strip() for m in messages])
        if errors:
            # Raised as a ValidationError so that each problem keeps its place in the list, and
            # so its own line in the file.
            raise ValidationError(errors, _Strict)
        return turns


def _message_problem(message: Any) -> str | None:
    """What is wrong with one message of a reply, in words that say how to fix it."""
    if isinstance(message, str):
        return None if message.strip() else "a reply must hold at least one non-empty message"
    if isinstance(message, dict):
        # `- Look: I want this fixed.` is the mapping {Look: I want this fixed.}: show it quoted.
        example = '"..."'
        if len(message) == 1:
            [(key, rest)] = message.items()
            example = _quoted(f"{key}: {rest}" if rest is not None else f"{key}:")
        return f"YAML reads this message as a mapping because of its colon: put it in quotes: - {example}"
    if isinstance(message, list):
        return 'a message is a text, not a list: one level of [...] too many; write - ["...", "..."]'
    if isinstance(message, bool):
        return (
            f"YAML reads this message as {str(message).lower()} (yes, no, on, off without quotes): "
            'put the message in quotes: - "..."'
        )
    if message is None:
        return 'an empty message: write the message in quotes (- "...") or remove the line'
    return f"a message must be text, not {_shown(message)}: put it in quotes: - {_quoted(str(message))}"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    try:
        return repr(value)[:60]
    except ValueError:  # an integer too long for Python to write in decimal
        return type(value).__name__


def _quoted(text: str) -> str:
    """Text as the trainer would write it in double quotes (shortened if long): a JSON string is
    a valid double-quoted YAML string."""
    return json.dumps(text if len(text) <= 60 else text[:57] + "...", ensure_ascii=False)


class _Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt field is an error, not silently ignored
        anystr_strip_whitespace = True


def _whole_number(cls: type, value: Any) -> Any:
    """A mood is a whole number: 30.7 (or `yes`, which YAML reads as true) is a mistake to point
    out, not a value to round."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, like 30, not {_shown(value)}")
    return value


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

    _whole = validator("min_mood", pre=True, allow_reuse=True)(_whole_number)
    fixes: list[Fix] = Field(..., min_items=1)
    fob_offs: list[FobOff] = Field(default_factory=list)
    reply: Replies


class Escalation(_Strict):
    """When the customer gives up: mood falls below `give_up_below`."""

    give_up_below: int = Field(10, ge=0, le=100)

    _whole = validator("give_up_below", pre=True, allow_reuse=True)(_whole_number)
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
        duplicates = {i for i, count in Counter(fact_ids).items() if count > 1}
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

    _whole = validator("start", pre=True, allow_reuse=True)(_whole_number)
    _whole_effects = validator("effects", pre=True, each_item=True, allow_reuse=True)(_whole_number)


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
