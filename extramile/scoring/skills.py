"""One scorer per skill: what the agent did well or badly in a transcript, each with its evidence.

A scorer turns (transcript, the labels of each agent message) into `SkillEvent`s. Every event names
the message, quotes the words and says why it counted, in the detector's own words where one
decided it; its points are its share of the skill's score, so a skill's score is its base plus the
points of its events. Pure functions: the same transcript always gives the same events.

Every check reads one interpretation of each agent message: its acts are the one reading
(`extramile.reading`, applied by the scorer before these run), in which the detectors decide
questions, reflections, apologies and arguing, and the labels give the evidence to quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extramile.detectors.labeller import Labels
from extramile.detectors.lexicon.words import SMALL_TALK
from extramile.detectors.reflections import Reflection
from extramile.detectors.text import content_words
from extramile.reading import promised_time
from extramile.scoring.scorecard import SkillEvent
from extramile.temperaments import PROFILES, Reading, closed_runs, expectations, is_warm
from extramile.transcript import Message, Transcript, Turn
from extramile.vocab import SKILLS, EventKind, Skill, complete

_NEXT_STEP = re.compile(
    r"\b(next step|what happens next|you('ll| will) (receive|get|see)|"
    r"i('ll| will) (send|email|call|ring|check|book|arrange|update|refund|credit|"
    r"escalate|raise|follow)|i('ve| have) (raised|booked|arranged|sent|refunded|"
    r"credited|escalated))\b",
    re.IGNORECASE,
)


# The share of the paraphrasing skill the first disclosure restated earns.
FIRST_REFLECTION = 50.0


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
                message=asking.position if asking is not None else message.position,
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


def _news(message: Message) -> int:
    """How much a customer message reports: its content words beyond greetings and small talk."""
    return len(content_words(message.text) - SMALL_TALK)


def _complaint(transcript: Transcript) -> Turn | None:
    """The customer's turn that reports their problem: the first that says something beyond
    greetings and small talk ("Hello... sorry to bother you." reports nothing)."""
    return next(
        (
            t
            for t in transcript.turns
            if t.speaker == "customer" and any(_news(m) >= 2 for m in transcript.messages_of(t))
        ),
        None,
    )


def _disclosures(transcript: Transcript) -> dict[int, Message]:
    """The customer's key disclosures, by turn: their complaint and each turn that reveals a
    scenario fact. Each is anchored at the message that says it: the fact's, or the one of the
    complaint reporting most."""
    disclosures: dict[int, Message] = {}
    complaint = _complaint(transcript)
    for turn in (t for t in transcript.turns if t.speaker == "customer"):
        said = transcript.messages_of(turn)
        fact = next((m for m in said if m.fact), None)
        if complaint is not None and turn.index == complaint.index:
            disclosures[turn.index] = fact or max(reversed(said), key=_news)
        elif fact is not None:
            disclosures[turn.index] = fact
    return disclosures


def _restates(reflection: Reflection, said: Sequence[Message]) -> bool:
    """Whether a faithful reflection says back this turn: the message it restates is the turn's,
    or it echoes two of the turn's own words (a summary restates several turns at once)."""
    if not reflection.found or reflection.invented:
        return False
    if reflection.restates is None or reflection.restates in {m.position for m in said}:
        return True
    theirs = frozenset().union(*(content_words(m.text) for m in said))
    return len(theirs & set(reflection.shared_words)) >= 2


def paraphrasing_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """The customer's key disclosures (their complaint and each fact they reveal), each earned when
    the agent restates it within their next two messages: the first restated earns half the skill
    (one accurate paraphrase shows the skill, as trainers judge it), the others share the rest. A
    reflection that invents a fact loses 10."""
    disclosures = _disclosures(transcript)
    first_share = FIRST_REFLECTION if len(disclosures) > 1 else 100.0
    other_share = (100.0 - first_share) / (len(disclosures) - 1) if len(disclosures) > 1 else 0.0
    earned = 0
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
        said = [m for m in transcript.messages if m.turn == turn]
        later_agent = [m for m in transcript.agent_messages if m.position > disclosure.position][:2]
        reflected = next(
            (m for m in later_agent if _restates(labels[m.position].reflection, said)),
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
                    points=first_share if earned == 0 else other_share,
                )
            )
            earned += 1
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
    """From 100: interrupting -30, arguing -30, and more of the words than the temperament leaves the
    agent (70% with expressive customers, 80% with the others) -10. Messages the simulator missed
    during an outage count towards neither interrupting nor dominating."""
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
                    points=-30.0,
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
                    points=-30.0,
                )
            )
    # Messages the simulator missed (an outage) were sent with no customer there to answer: they
    # say nothing about who dominated the conversation.
    counted = [m for m in transcript.messages if not m.missed]
    agent = [m for m in counted if m.speaker == "agent"]
    agent_words = sum(len(m.text.split()) for m in agent)
    all_words = sum(len(m.text.split()) for m in counted) or 1
    share = agent_words / all_words
    most = PROFILES[transcript.temperament].max_word_share
    if share > most and len(agent) >= 3:
        events.append(
            SkillEvent(
                kind="dominating_share",
                message=None,
                quote=f"{share:.0%} of the words",
                explanation=f"You wrote {share:.0%} of the words in the conversation, more than the "
                f"{most:.0%} that suits a {transcript.temperament} customer; let them talk more.",
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
    """A problem that calls for an apology, and the first agent message that could answer it."""

    position: int  # where it happened
    at: float
    what: str
    answerable_from: int  # the agent message from which an apology counts (the slip's own, or the next)


def _apology_triggers(transcript: Transcript, labels: Labels) -> list[_Trigger]:
    """Each problem once. A slip of the agent's and the upset it causes are one problem, and so
    are problems that reach the agent together (one apology answers them); the customer growing
    more upset is a new problem only after an apology; a problem after the agent's last message
    (the customer giving up and leaving) is none, since nothing could answer it."""
    agent = transcript.agent_messages
    apologised = {m.position for m in agent if labels[m.position].apology_kind == "apology"}

    def slips(message: Message) -> list[str]:
        label = labels[message.position]
        found = []
        if transcript.interruption(message) is not None:
            found.append("you interrupted the customer")
        if label.argues:
            found.append("you argued with the customer")
        if label.reflection.found and label.reflection.invented:
            found.append("your paraphrase got the facts wrong")
        return found

    def next_agent(position: int) -> Message | None:
        return next((m for m in agent if m.position > position), None)

    raw: list[_Trigger] = []
    previous_mood: int | None = None
    complaint = _complaint(transcript)
    for turn in (t for t in transcript.turns if t.speaker == "customer"):
        first = transcript.messages_of(turn)[0]
        answer = next_agent(first.position)
        before = next((m for m in reversed(agent) if m.position < first.position), None)
        dropped = turn.mood is not None and previous_mood is not None and turn.mood <= previous_mood - 10
        if answer is not None and complaint is not None and turn.index == complaint.index:
            raw.append(
                _Trigger(first.position, turn.ends_at, "the customer reported a problem", answer.position)
            )
        elif answer is not None and dropped and not (before is not None and slips(before)):
            raw.append(
                _Trigger(first.position, turn.ends_at, "the customer grew more upset", answer.position)
            )
        if turn.mood is not None:
            previous_mood = turn.mood
    for message in agent:
        raw += [_Trigger(message.position, message.at, slip, message.position) for slip in slips(message)]
    raw.sort(key=lambda t: (t.answerable_from, t.position))

    triggers: list[_Trigger] = []
    for trigger in raw:
        last = triggers[-1] if triggers else None
        if last is not None and last.answerable_from == trigger.answerable_from:
            if trigger.what not in last.what:
                triggers[-1] = _Trigger(
                    last.position, last.at, f"{last.what} and {trigger.what}", last.answerable_from
                )
            continue
        unanswered = last is not None and not any(
            last.answerable_from <= p < trigger.answerable_from for p in apologised
        )
        if trigger.what == "the customer grew more upset" and unanswered:
            continue  # still upset about the problem no apology has answered yet
        triggers.append(trigger)
    return triggers


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
        found = next((m for m in apologies if m.position >= trigger.answerable_from), None)
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
        # Messages sent into an action-server outage reached no customer: they do not make an
        # apology late.
        later = max(
            1,
            sum(
                1
                for m in transcript.agent_messages
                if trigger.answerable_from <= m.position <= found.position and not m.missed
            ),
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
    # Warm as the temperament model defines it: "sorry" is, a formal "Apologies for that." is not.
    warm = is_warm(Reading(text, frozenset(first.acts), labels[first.position].question_kind))
    checks: list[tuple[EventKind, EventKind, bool, float, str, str]] = [
        ("greeting", "no_greeting", "greet" in first.acts, 40,
         "You opened with a greeting.", "Open with a greeting."),
        ("own_name", "no_own_name", "introduce_self" in first.acts, 30,
         "You gave your name, so the customer knows who is helping.",
         "Give your name in your first message."),
        ("warmth", "no_warmth", warm, 30,
         "Your first message was warm.", "Add warmth to your first message ('happy to help')."),
    ]  # fmt: skip
    return [
        SkillEvent(
            kind=kind if ok else missing_kind,
            message=first.position,
            quote=_cut(text),
            explanation=good if ok else missing,
            points=points if ok else 0.0,
        )
        for kind, missing_kind, ok, points, good, missing in checks
    ]


def temperament_fit_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """What this customer's temperament expects (extramile.temperaments), 100 points in all."""
    agent = transcript.agent_messages
    questions = [labels[m.position].question_kind for m in agent]
    readings = [
        Reading(m.text, frozenset(m.acts), question, run)
        for m, question, run in zip(agent, questions, closed_runs(questions), strict=True)
    ]
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
    """Next steps offered unasked: 70 for the first, 30 for a second."""
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
            points=70.0 if i == 0 else 30.0,
        )
        for i, m in enumerate(offered[:2])
    ]


def promise_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """A follow-up promise with a concrete time earns 100; without a time, 50. No promise: the
    skill is not assessed."""
    promises = [m for m in transcript.agent_messages if "promise_follow_up" in m.acts]
    if not promises:
        return []
    for promise in promises:
        when = promised_time(promise.text)
        if when is not None:
            return [
                SkillEvent(
                    kind="promise_with_time",
                    message=promise.position,
                    quote=_cut(promise.text),
                    explanation=f"You promised a follow-up with a concrete time ('{when}').",
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
