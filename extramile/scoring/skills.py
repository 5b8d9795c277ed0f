"""One scorer per skill: what the agent did well or badly in a transcript, each with its evidence.

A scorer turns (transcript, the labels of each agent message) into `SkillEvent`s. Every event names
the message, quotes the words and says why it counted, in the detector's own words where one
decided it; its points are its share of the skill's score, so a skill's score is its base plus the
points of its events. Pure functions: the same transcript always gives the same events.

Which signal each check reads: question kind, reflection, apology and arguing come from the
detectors (the labels); solutions, explanations, promises, greetings and warmth come from the
NLU's dialogue acts stored with each message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extramile.detectors.labeller import Labels
from extramile.scoring.scorecard import SkillEvent
from extramile.temperaments import WARM_WORDS, Reading, expectations
from extramile.transcript import Message, Transcript
from extramile.vocab import SKILLS, Skill, complete

_TIME = re.compile(
    r"\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next week|"
    r"(by|on|before|within|in) (the )?(next )?(\d+|one|two|three|24|48) ?"
    r"(minutes?|hours?|days?|working days?)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"\d{1,2}(:\d\d)? ?(am|pm)|\d{1,2}:\d\d|noon|midday|end of (the )?day)\b",
    re.IGNORECASE,
)
_NAME_INTRO = re.compile(r"\b(my name is|my name's|this is|i am|i'm) [A-Z][a-z]+", re.UNICODE)
_GREETING = re.compile(
    r"^\W*(hi|hello|hey|good (morning|afternoon|evening)|welcome|thanks for "
    r"(contacting|getting in touch|reaching out|calling))\b",
    re.IGNORECASE,
)
_NEXT_STEP = re.compile(
    r"\b(next step|what happens next|you('ll| will) (receive|get|see)|"
    r"i('ll| will) (send|email|call|ring|check|book|arrange|update|refund|credit|"
    r"escalate|raise|follow)|i('ve| have) (raised|booked|arranged|sent|refunded|"
    r"credited|escalated))\b",
    re.IGNORECASE,
)


def _cut(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_solution(transcript: Transcript) -> int | None:
    return next((m.position for m in transcript.agent_messages if "offer_solution" in m.acts), None)


def open_question_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """70 points shared by the questions before the first solution (open ones earn them) and 30
    shared by the scenario's facts (earned when an open question brought the fact out)."""
    solution_at = _first_solution(transcript)
    asked = [
        m
        for m in transcript.agent_messages
        if labels[m.position].question_kind != "none" and (solution_at is None or m.position <= solution_at)
    ]
    events: list[SkillEvent] = []
    for message in asked:
        question = labels[message.position].question
        is_open = question.label == "open"
        events.append(
            SkillEvent(
                kind="open_question" if is_open else "closed_question",
                message=message.position,
                quote=question.quote or _cut(message.text),
                explanation=question.explanation
                + ("" if is_open else " Ask 'what happened' or 'tell me more' to uncover the problem."),
                points=70 / len(asked) if is_open else 0.0,
            )
        )
    facts = dict(transcript.facts)
    seen = set()
    for message in transcript.messages:
        if message.speaker != "customer" or not message.fact or message.fact in seen:
            continue
        seen.add(message.fact)
        asking = next(
            (
                m
                for m in reversed(transcript.before(message, len(transcript.messages)))
                if m.speaker == "agent"
            ),
            None,
        )
        by_open = asking is not None and labels[asking.position].question_kind == "open"
        events.append(
            SkillEvent(
                kind="fact_uncovered_by_open_question" if by_open else "fact_uncovered",
                message=message.position,
                quote=_cut(message.text),
                explanation=f"The customer revealed a key fact ({facts.get(message.fact, message.fact)})"
                + (
                    " in answer to your open question."
                    if by_open
                    else ", but not in answer to an open question."
                ),
                points=30 / max(1, len(facts)) if by_open else 0.0,
            )
        )
    if not asked:
        events.append(
            SkillEvent(
                kind="no_questions",
                message=None,
                explanation="You asked no questions before offering a solution.",
                points=0.0,
            )
        )
    return events


def paraphrasing_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """100 points shared by the customer's key disclosures (their opening complaint and each fact
    they reveal), earned when the agent restates it within their next two messages; a reflection
    that invents a fact loses 10."""
    opening = next((m for m in transcript.messages if m.speaker == "customer"), None)
    # A customer turn is one disclosure, anchored at its first message that reveals a fact (or
    # the opening's first message).
    disclosures: dict[int, Message] = {}
    for message in transcript.messages:
        if message.speaker == "customer" and (message.fact or message is opening):
            disclosures.setdefault(message.turn, message)
    events: list[SkillEvent] = []
    for agent in transcript.agent_messages:
        reflection = labels[agent.position].reflection
        if reflection.found and reflection.invented:
            events.append(
                SkillEvent(
                    kind="inaccurate_reflection",
                    message=agent.position,
                    quote=reflection.detection.quote,
                    explanation=reflection.detection.explanation + " Reflect only their own words.",
                    points=-10.0,
                )
            )
    for turn, disclosure in disclosures.items():
        positions = {m.position for m in transcript.messages if m.turn == turn}
        later_agent = [m for m in transcript.agent_messages if m.position > disclosure.position][:2]
        reflected = next(
            (
                m
                for m in later_agent
                if labels[m.position].reflection.found
                and not labels[m.position].reflection.invented
                and labels[m.position].reflection.restates in positions | {None}
            ),
            None,
        )
        if reflected is not None:
            detection = labels[reflected.position].reflection.detection
            events.append(
                SkillEvent(
                    kind="reflection",
                    message=reflected.position,
                    quote=detection.quote or _cut(reflected.text),
                    explanation=f'You restated what the customer told you ("{_cut(disclosure.text, 60)}"): '
                    + detection.explanation[0].lower()
                    + detection.explanation[1:],
                    points=100 / len(disclosures),
                )
            )
        else:
            events.append(
                SkillEvent(
                    kind="missed_reflection",
                    message=disclosure.position,
                    quote=_cut(disclosure.text),
                    explanation="The customer told you this and it was not reflected back within your "
                    "next two messages; try 'So what I'm hearing is…'.",
                    points=0.0,
                )
            )
    return events


def listening_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """From 100: interrupting -15, arguing -15, and more than 60% of the words -10."""
    events: list[SkillEvent] = []
    for message in transcript.agent_messages:
        early = transcript.interruption(message)
        if early is not None:
            events.append(
                SkillEvent(
                    kind="interruption",
                    message=message.position,
                    quote=_cut(message.text),
                    explanation=f"You sent this {early:.1f} s before the customer had finished typing "
                    "their turn; let them finish.",
                    points=-15.0,
                )
            )
        argue = labels[message.position].argue
        if argue.label == "argue":
            events.append(
                SkillEvent(
                    kind="arguing",
                    message=message.position,
                    quote=argue.quote or _cut(message.text),
                    explanation=argue.explanation + " Acknowledge their view instead.",
                    points=-15.0,
                )
            )
    agent_words = sum(len(m.text.split()) for m in transcript.agent_messages)
    all_words = sum(len(m.text.split()) for m in transcript.messages) or 1
    share = agent_words / all_words
    if share > 0.6 and len(transcript.agent_messages) >= 3:
        events.append(
            SkillEvent(
                kind="dominating_share",
                message=None,
                quote=f"{share:.0%} of the words",
                explanation=f"You wrote {share:.0%} of the words in the conversation; let the customer "
                "talk more.",
                points=-10.0,
            )
        )
    if not events and transcript.agent_messages:
        events.append(
            SkillEvent(
                kind="listened",
                message=None,
                explanation="You let the customer finish every turn, never argued and did not dominate.",
                points=0.0,
            )
        )
    return events


def _delay_factor(messages_later: int, seconds: float) -> float:
    by_messages = {1: 1.0, 2: 0.6, 3: 0.3}.get(messages_later, 0.0)
    by_time = 1.0 if seconds <= 60 else 0.75 if seconds <= 180 else 0.5
    return by_messages * by_time


@dataclass(frozen=True)
class _Trigger:
    """Something that calls for an apology."""

    position: int
    at: float
    what: str
    own_slip: bool  # the agent's own slip: an apology in the same message counts


def _apology_triggers(transcript: Transcript, labels: Labels) -> list[_Trigger]:
    triggers: list[_Trigger] = []
    previous_mood: int | None = None
    customer_turns = [t for t in transcript.turns if t.speaker == "customer"]
    for number, turn in enumerate(customer_turns):
        first = transcript.messages_of(turn)[0]
        if number == 0:
            triggers.append(_Trigger(first.position, turn.ends_at, "the customer reported a problem", False))
        elif turn.mood is not None and previous_mood is not None and turn.mood <= previous_mood - 10:
            triggers.append(_Trigger(first.position, turn.ends_at, "the customer grew more upset", False))
        if turn.mood is not None:
            previous_mood = turn.mood
    for message in transcript.agent_messages:
        label = labels[message.position]
        if transcript.interruption(message) is not None:
            triggers.append(_Trigger(message.position, message.at, "you interrupted the customer", True))
        if label.argues:
            triggers.append(_Trigger(message.position, message.at, "you argued with the customer", True))
        if label.reflection.found and label.reflection.invented:
            triggers.append(
                _Trigger(message.position, message.at, "your paraphrase got the facts wrong", True)
            )
    return sorted(triggers, key=lambda t: (t.position, t.at))


def apology_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """100 points shared by the triggers (the customer reporting the problem, the agent's slips,
    the customer's mood falling by 10 or more); each earns its share in full when the agent's next
    message apologises, 60% one message later, 30% two later, less if it takes minutes; a
    non-apology loses 10."""
    triggers = _apology_triggers(transcript, labels)
    events: list[SkillEvent] = []
    apologies = [m for m in transcript.agent_messages if labels[m.position].apology_kind == "apology"]
    for message in transcript.agent_messages:
        apology = labels[message.position].apology
        if apology.label == "non_apology":
            events.append(
                SkillEvent(
                    kind="non_apology",
                    message=message.position,
                    quote=apology.quote,
                    explanation=apology.explanation + " Say what you are sorry for.",
                    points=-10.0,
                )
            )
    for trigger in triggers:
        found = next(
            (
                m
                for m in apologies
                if m.position > trigger.position or (trigger.own_slip and m.position == trigger.position)
            ),
            None,
        )
        share = 100 / len(triggers)
        if found is None:
            events.append(
                SkillEvent(
                    kind="missed_apology",
                    message=trigger.position,
                    explanation=f"No apology followed when {trigger.what}.",
                    points=0.0,
                )
            )
            continue
        later = max(
            1, sum(1 for m in transcript.agent_messages if trigger.position < m.position <= found.position)
        )
        seconds = max(0.0, found.at - trigger.at)
        factor = _delay_factor(later, seconds)
        events.append(
            SkillEvent(
                kind="apology" if factor == 1.0 else "late_apology",
                message=found.position,
                quote=labels[found.position].apology.quote or _cut(found.text),
                explanation=f"You apologised {'straight away' if later == 1 else f'{later} messages later'} "
                f"({seconds:.0f} s) after {trigger.what}.",
                points=share * factor,
            )
        )
    return events


def first_impression_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """The agent's first message: a greeting 40, their own name 30, warmth 30."""
    first = next(iter(transcript.agent_messages), None)
    if first is None:
        return []
    text = first.text
    checks = [
        (
            "greeting",
            "greet" in first.acts or bool(_GREETING.search(text)),
            40,
            "You opened with a greeting.",
            "Open with a greeting.",
        ),
        (
            "own_name",
            "introduce_self" in first.acts or bool(_NAME_INTRO.search(text)),
            30,
            "You gave your name, so the customer knows who is helping.",
            "Give your name in your first message.",
        ),
        (
            "warmth",
            bool({"empathize", "apologize", "thank"} & set(first.acts)) or bool(WARM_WORDS.search(text)),
            30,
            "Your first message was warm.",
            "Add warmth to your first message ('happy to help').",
        ),
    ]
    return [
        SkillEvent(
            kind=kind if ok else f"no_{kind}",
            message=first.position,
            quote=_cut(text),
            explanation=good if ok else missing,
            points=float(points) if ok else 0.0,
        )
        for kind, ok, points, good, missing in checks
    ]


def temperament_fit_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """What this customer's temperament expects (extramile.temperaments), 100 points in all."""
    agent = transcript.agent_messages
    readings = [Reading(m.text, frozenset(m.acts), labels[m.position].question_kind) for m in agent]
    events = []
    for check in expectations(transcript.temperament, readings):
        evidence = agent[check.evidence] if check.evidence is not None else None
        events.append(
            SkillEvent(
                kind=check.kind,
                message=evidence.position if evidence else None,
                quote=_cut(evidence.text) if evidence else "",
                explanation=check.explanation,
                points=check.points,
            )
        )
    return events


def proactivity_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """Next steps offered unasked: 50 for the first, 25 for each of the next two."""
    offered = [
        m
        for m in transcript.agent_messages
        if _NEXT_STEP.search(m.text) or {"offer_solution", "promise_follow_up"} & set(m.acts)
    ]
    if not offered:
        return [
            SkillEvent(
                kind="no_next_steps",
                message=None,
                explanation="You never said what happens next; offer the next step unasked.",
                points=0.0,
            )
        ]
    return [
        SkillEvent(
            kind="next_step",
            message=m.position,
            quote=_cut(m.text),
            explanation="You told the customer what happens next without being asked.",
            points=50.0 if i == 0 else 25.0,
        )
        for i, m in enumerate(offered[:3])
    ]


def promise_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """A follow-up promise with a concrete time earns 100; without a time, 50. No promise: the
    skill is not assessed."""
    promises = [m for m in transcript.agent_messages if "promise_follow_up" in m.acts]
    if not promises:
        return []
    for promise in promises:
        when = _TIME.search(promise.text)
        if when is not None:
            return [
                SkillEvent(
                    kind="promise_with_time",
                    message=promise.position,
                    quote=_cut(promise.text),
                    explanation=f"You promised a follow-up with a concrete time ('{when.group(0)}').",
                    points=100.0,
                )
            ]
    return [
        SkillEvent(
            kind="promise_without_time",
            message=promises[0].position,
            quote=_cut(promises[0].text),
            explanation="You promised a follow-up but gave no time; say when ('by 5pm today').",
            points=50.0,
        )
    ]


SkillScorer = Callable[[Transcript, Labels], list[SkillEvent]]

# Each skill's base score and its scorer; the score is the base plus the events' points.
SCORERS: dict[Skill, tuple[float, SkillScorer]] = complete(
    {
        "open_questions": (0.0, open_question_events),
        "paraphrasing": (0.0, paraphrasing_events),
        "listening": (100.0, listening_events),
        "apologies": (0.0, apology_events),
        "first_impression": (0.0, first_impression_events),
        "temperament_fit": (0.0, temperament_fit_events),
        "proactivity": (0.0, proactivity_events),
        "promises": (0.0, promise_events),
    },
    SKILLS,
    "the skill scorers",
)
