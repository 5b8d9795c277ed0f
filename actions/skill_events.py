"""Skill events: what the agent did well or badly in a transcript, each with its evidence.

One function per skill turns (transcript, per-message labels) into `SkillEvent`s. Every event names
the turn, quotes the words and says in one sentence why it counted; its points are its share of
that skill's score, so a skill's score is its base plus the points of its events. Pure functions:
the same transcript always gives the same events.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from actions.transcript import Transcript, Turn, agent_turn_number


@dataclass(frozen=True)
class TurnLabels:
    """What the utterance detectors found in one agent message."""

    question: str  # open | closed | none
    question_quote: str
    reflection: bool
    reflection_quote: str
    reflected_position: int | None  # the customer message it restates
    invented: Sequence[str]  # words of a reflection that the customer never said
    apology: str  # apology | non_apology | none
    apology_quote: str
    argue: bool
    argue_quote: str


@dataclass(frozen=True)
class SkillEvent:
    skill: str
    turn: int | None  # position in the session log; None for the session as a whole
    kind: str
    quote: str
    explanation: str
    points: float

    def as_dict(self) -> dict:
        return {"turn": self.turn, "kind": self.kind, "quote": self.quote,
                "explanation": self.explanation, "points": round(self.points, 1)}


Labels = dict[int, TurnLabels]

_TIME = re.compile(
    r"\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next week|"
    r"(by|on|before|within|in) (the )?(next )?(\d+|one|two|three|24|48) ?"
    r"(minutes?|hours?|days?|working days?)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"\d{1,2}(:\d\d)? ?(am|pm)|\d{1,2}:\d\d|noon|midday|end of (the )?day)\b",
    re.IGNORECASE,
)
_NAME_INTRO = re.compile(r"\b(my name is|my name's|this is|i am|i'm) [A-Z][a-z]+", re.UNICODE)
_GREETING = re.compile(r"^\W*(hi|hello|hey|good (morning|afternoon|evening)|welcome|thanks for "
                       r"(contacting|getting in touch|reaching out|calling))\b", re.IGNORECASE)
_WARMTH = re.compile(r"\b(happy to help|glad to help|here to help|i'll do my best|sorry|thank|"
                     r"understand|appreciate|sounds (really |so )?(frustrating|stressful|difficult))",
                     re.IGNORECASE)
_NEXT_STEP = re.compile(r"\b(next step|what happens next|you('ll| will) (receive|get|see)|"
                        r"i('ll| will) (send|email|call|ring|check|book|arrange|update|refund|credit|"
                        r"escalate|raise|follow)|i('ve| have) (raised|booked|arranged|sent|refunded|"
                        r"credited|escalated))\b", re.IGNORECASE)
_SPECIFIC = re.compile(r"\d|£|\$|€|%|\b(because|due to|since|the reason|which means)\b", re.I)
_REASSURE = re.compile(r"\b(don't worry|no need to worry|we('ll| will) (sort|fix|get)|you're not "
                       r"alone|take your time|no rush|it's (ok|okay|fine)|i've got this|we can fix)",
                       re.IGNORECASE)


def _words(text: str) -> int:
    return len(text.split())


def _cut(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_solution(transcript: Transcript) -> int | None:
    return next((t.position for t in transcript.agent_turns if "offer_solution" in t.acts), None)


def open_question_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """70 points shared by the questions before the first solution (open ones earn them) and 30
    shared by the scenario's facts (earned when an open question brought the fact out)."""
    solution_at = _first_solution(transcript)
    asked = [t for t in transcript.agent_turns
             if labels[t.position].question != "none"
             and (solution_at is None or t.position <= solution_at)]
    events: list[SkillEvent] = []
    for turn in asked:
        label = labels[turn.position]
        is_open = label.question == "open"
        events.append(SkillEvent(
            "open_questions", turn.position, "open_question" if is_open else "closed_question",
            label.question_quote or _cut(turn.text),
            "An open question lets the customer explain in their own words." if is_open else
            "A closed question gets a yes, a no or one fact; ask 'what happened' or 'tell me more' "
            "to uncover the problem.",
            70 / len(asked) if is_open else 0.0,
        ))
    facts = dict(transcript.fact_descriptions)
    seen = set()
    for turn in transcript.turns:
        if turn.speaker != "customer" or not turn.fact or turn.fact in seen:
            continue
        seen.add(turn.fact)
        asking = next((t for t in reversed(transcript.before(turn, len(transcript.turns)))
                       if t.speaker == "agent"), None)
        by_open = asking is not None and labels[asking.position].question == "open"
        events.append(SkillEvent(
            "open_questions", turn.position,
            "fact_uncovered_by_open_question" if by_open else "fact_uncovered",
            _cut(turn.text),
            f"The customer revealed a key fact ({facts.get(turn.fact, turn.fact)})"
            + (" in answer to your open question." if by_open
               else ", but not in answer to an open question."),
            30 / max(1, len(facts)) if by_open else 0.0,
        ))
    if not asked:
        events.append(SkillEvent("open_questions", None, "no_questions", "",
                                 "You asked no questions before offering a solution.", 0.0))
    return events


def paraphrasing_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """100 points shared by the customer's key disclosures (their opening complaint and each fact
    they reveal), earned when the agent restates it within their next two messages; a reflection
    that invents a fact loses 10."""
    opening = next((t for t in transcript.turns if t.speaker == "customer"), None)
    # A customer turn of several messages is one disclosure, anchored at its first message that
    # reveals a fact (or the opening's first message).
    by_turn: dict[float, Turn] = {}
    for t in transcript.turns:
        if t.speaker == "customer" and (t.fact or t is opening):
            by_turn.setdefault(t.turn_ends_at if t.turn_ends_at is not None else t.timestamp, t)
    disclosures = list(by_turn.values())
    events: list[SkillEvent] = []
    for agent in transcript.agent_turns:
        label = labels[agent.position]
        if label.reflection and label.invented:
            events.append(SkillEvent(
                "paraphrasing", agent.position, "inaccurate_reflection", label.reflection_quote,
                "Your paraphrase adds something the customer never said ("
                + ", ".join(label.invented) + "); reflect only their own words.", -10.0,
            ))
    for disclosure in disclosures:
        customer_turn = [t for t in transcript.turns if t.speaker == "customer"
                         and t.turn_ends_at == disclosure.turn_ends_at]
        positions = {t.position for t in customer_turn}
        later_agent = [t for t in transcript.agent_turns if t.position > disclosure.position][:2]
        reflected = next((t for t in later_agent if labels[t.position].reflection
                          and not labels[t.position].invented
                          and (labels[t.position].reflected_position in positions
                               or labels[t.position].reflected_position is None)), None)
        if reflected is not None:
            events.append(SkillEvent(
                "paraphrasing", reflected.position, "reflection",
                labels[reflected.position].reflection_quote or _cut(reflected.text),
                f"You restated what the customer told you (\"{_cut(disclosure.text, 60)}\"), so "
                "they know you listened.", 100 / len(disclosures),
            ))
        else:
            events.append(SkillEvent(
                "paraphrasing", disclosure.position, "missed_reflection", _cut(disclosure.text),
                "The customer told you this and it was not reflected back within your next two "
                "messages; try 'So what I'm hearing is…'.", 0.0,
            ))
    return events


def listening_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """From 100: interrupting -15, arguing -15, three or more messages in a row over the customer
    -10, and more than 60% of the words in the conversation -10."""
    events: list[SkillEvent] = []
    run = 0
    for turn in transcript.turns:
        if turn.speaker != "agent":
            run = 0
            continue
        run += 1
        before = transcript.customer_turn_before(turn)
        ends_at = before[-1].turn_ends_at if before else None
        if ends_at is not None and turn.timestamp < ends_at:
            events.append(SkillEvent(
                "listening", turn.position, "interruption", _cut(turn.text),
                f"You sent this {ends_at - turn.timestamp:.1f} s before the customer had finished "
                "typing their turn; let them finish.", -15.0,
            ))
        label = labels[turn.position]
        if label.argue:
            events.append(SkillEvent(
                "listening", turn.position, "arguing", label.argue_quote or _cut(turn.text),
                "This contradicts, blames or lectures the customer; acknowledge their view "
                "instead.", -15.0,
            ))
        if run == 3:
            events.append(SkillEvent(
                "listening", turn.position, "dominating", _cut(turn.text),
                "Three messages in a row without letting the customer answer.", -10.0,
            ))
    agent_words = sum(_words(t.text) for t in transcript.agent_turns)
    all_words = sum(_words(t.text) for t in transcript.turns) or 1
    share = agent_words / all_words
    if share > 0.6 and len(transcript.agent_turns) >= 3:
        events.append(SkillEvent(
            "listening", None, "dominating_share", f"{share:.0%} of the words",
            f"You wrote {share:.0%} of the words in the conversation; let the customer talk more.",
            -10.0,
        ))
    if not events and transcript.agent_turns:
        events.append(SkillEvent(
            "listening", None, "listened", "",
            "You let the customer finish every turn, never argued and did not dominate.", 0.0,
        ))
    return events


def _delay_factor(turns_later: int, seconds: float) -> float:
    by_turns = {1: 1.0, 2: 0.6, 3: 0.3}.get(turns_later, 0.0)
    by_time = 1.0 if seconds <= 60 else 0.75 if seconds <= 180 else 0.5
    return by_turns * by_time


def apology_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """100 points shared by the triggers (the customer reporting the problem, the agent's slips,
    the customer's escalation); each earns its share in full when the agent's next message
    apologises, 60% one message later, 30% two later, less if it takes minutes; a non-apology
    loses 10."""
    # (position, timestamp, what happened, the agent's own slip: an apology in the same message counts)
    triggers: list[tuple[int, float, str, bool]] = []
    opening = next((t for t in transcript.turns if t.speaker == "customer"), None)
    if opening is not None:
        triggers.append((opening.position, opening.turn_ends_at or opening.timestamp,
                         "the customer reported a problem", False))
    previous_mood = None
    for turn in transcript.turns:
        if turn.speaker == "customer" and turn.mood is not None:
            if previous_mood is not None and turn.mood <= previous_mood - 10:
                triggers.append((turn.position, turn.turn_ends_at or turn.timestamp,
                                 "the customer grew more upset", False))
            if turn.turn_ends_at is None or turn.timestamp == turn.turn_ends_at:
                previous_mood = turn.mood
        if turn.speaker != "agent":
            continue
        label = labels[turn.position]
        before = transcript.customer_turn_before(turn)
        if before and before[-1].turn_ends_at and turn.timestamp < before[-1].turn_ends_at:
            triggers.append((turn.position, turn.timestamp, "you interrupted the customer", True))
        if label.argue:
            triggers.append((turn.position, turn.timestamp, "you argued with the customer", True))
        if label.reflection and label.invented:
            triggers.append((turn.position, turn.timestamp, "your paraphrase got the facts wrong",
                             True))

    events: list[SkillEvent] = []
    apologies = [t for t in transcript.agent_turns if labels[t.position].apology == "apology"]
    for turn in transcript.agent_turns:
        if labels[turn.position].apology == "non_apology":
            events.append(SkillEvent(
                "apologies", turn.position, "non_apology", labels[turn.position].apology_quote,
                "This sounds like an apology but takes no ownership ('sorry you feel that way', "
                "'sorry, but…'); say what you are sorry for.", -10.0,
            ))
    for position, at, what, own_slip in sorted(triggers):
        apology = next((t for t in apologies if t.position > position
                        or (own_slip and t.position == position)), None)
        share = 100 / len(triggers)
        if apology is None:
            events.append(SkillEvent(
                "apologies", position, "missed_apology", "",
                f"No apology followed when {what}.", 0.0,
            ))
            continue
        later = sum(1 for t in transcript.agent_turns if position < t.position <= apology.position)
        later = max(1, later)
        seconds = max(0.0, apology.timestamp - at)
        factor = _delay_factor(later, seconds)
        events.append(SkillEvent(
            "apologies", apology.position, "apology" if factor == 1.0 else "late_apology",
            labels[apology.position].apology_quote or _cut(apology.text),
            f"You apologised {'straight away' if later == 1 else f'{later} messages later'} "
            f"({seconds:.0f} s) after {what}.",
            share * factor,
        ))
    return events


def first_impression_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """The agent's first message: a greeting 40, their own name 30, warmth 30."""
    first = next(iter(transcript.agent_turns), None)
    if first is None:
        return []
    text = first.text
    checks = [
        ("greeting", "greet" in first.acts or bool(_GREETING.search(text)), 40,
         "You opened with a greeting.", "Open with a greeting."),
        ("own_name", "introduce_self" in first.acts or bool(_NAME_INTRO.search(text)), 30,
         "You gave your name, so the customer knows who is helping.",
         "Give your name in your first message."),
        ("warmth", bool({"empathize", "apologize", "thank"} & set(first.acts))
         or bool(_WARMTH.search(text)), 30,
         "Your first message was warm.", "Add warmth to your first message ('happy to help')."),
    ]
    return [
        SkillEvent("first_impression", first.position, kind if ok else f"no_{kind}", _cut(text),
                   good if ok else missing, float(points) if ok else 0.0)
        for kind, ok, points, good, missing in checks
    ]


def temperament_fit_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """What this temperament expects (DESIGN.md), 100 points in all."""
    agent = transcript.agent_turns
    if not agent:
        return []
    temperament = transcript.temperament
    events: list[SkillEvent] = []

    def add(ok: bool, points: float, kind: str, turn: Turn | None, good: str, bad: str) -> None:
        events.append(SkillEvent("temperament_fit", turn.position if turn else None,
                                 kind if ok else f"not_{kind}", _cut(turn.text) if turn else "",
                                 good if ok else bad, points if ok else 0.0))

    if temperament == "aggressive":
        average = sum(_words(t.text) for t in agent) / len(agent)
        longest = max(agent, key=lambda t: _words(t.text))
        add(average <= 30, 35, "short_messages", longest,
            f"Your messages were short (about {average:.0f} words): this customer wants the bottom line.",
            f"Your messages averaged {average:.0f} words; this customer wants them short.")
        solution = next((t for t in agent if "offer_solution" in t.acts), None)
        soon = solution is not None and agent_turn_number(agent, solution) <= 5
        add(soon, 35, "solution_soon", solution,
            "You offered a solution within your first five messages.",
            "Offer a solution within your first five messages; this customer wants a quick fix.")
        piled = [t for t in agent if t.text.count("?") > 1]
        add(not piled, 30, "one_question_at_a_time", piled[0] if piled else None,
            "You asked one question at a time.", "You asked several questions in one message.")
    elif temperament == "analytical":
        explaining = [t for t in agent if {"explain", "offer_solution"} & set(t.acts)]
        specific = [t for t in explaining if _SPECIFIC.search(t.text)]
        share = len(specific) / len(explaining) if explaining else 0.0
        add(bool(explaining), 40, "explained", explaining[0] if explaining else None,
            "You explained what happened.", "Explain what happened and why; this customer wants reasons.")
        events.append(SkillEvent(
            "temperament_fit", specific[0].position if specific else None, "specifics",
            _cut(specific[0].text) if specific else "",
            f"{len(specific)} of your {len(explaining)} explanations or offers gave numbers or reasons.",
            60 * share,
        ))
    elif temperament == "expressive":
        warm = [t for t in agent if {"empathize", "reflect", "apologize"} & set(t.acts)]
        share = min(1.0, len(warm) / max(1, len(agent)) / 0.4)  # warmth in 40% of messages is full
        events.append(SkillEvent(
            "temperament_fit", warm[0].position if warm else None, "warmth",
            _cut(warm[0].text) if warm else "",
            f"{len(warm)} of your {len(agent)} messages showed empathy or reflected feelings.",
            60 * share,
        ))
        curt = [t for t in agent if _words(t.text) < 6 and not ({"greet", "thank", "empathize"}
                                                                 & set(t.acts))]
        add(not curt, 40, "no_curt_replies", curt[0] if curt else None,
            "No curt, cold replies.", "A curt reply feels cold to this customer.")
    elif temperament == "passive":
        opened = [t for t in agent if labels[t.position].question == "open"]
        closed = [t for t in agent if labels[t.position].question == "closed"]
        add(len(opened) >= len(closed) and bool(opened), 40, "gentle_open_questions",
            opened[0] if opened else None, "You drew the customer out with open questions.",
            "This customer answers closed questions with a yes or no; ask open ones.")
        reassuring = next((t for t in agent if _REASSURE.search(t.text)
                           or {"empathize", "promise_follow_up"} & set(t.acts)), None)
        add(reassuring is not None, 30, "reassurance", reassuring,
            "You reassured the customer.", "Reassure this customer ('we'll sort this out').")
        string = next((t for t in agent if t.text.count("?") > 1
                       and labels[t.position].question == "closed"), None)
        add(string is None, 30, "no_interrogation", string,
            "You did not fire closed questions at them.", "Several closed questions at once feel "
            "like an interrogation.")
    return events


def proactivity_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """Next steps offered unasked: 50 for the first, 25 for each of the next two."""
    offered = [t for t in transcript.agent_turns if _NEXT_STEP.search(t.text)
               or {"offer_solution", "promise_follow_up"} & set(t.acts)]
    if not offered:
        return [SkillEvent("proactivity", None, "no_next_steps", "",
                           "You never said what happens next; offer the next step unasked.", 0.0)]
    return [SkillEvent("proactivity", t.position, "next_step", _cut(t.text),
                       "You told the customer what happens next without being asked.",
                       50.0 if i == 0 else 25.0)
            for i, t in enumerate(offered[:3])]


def promise_events(transcript: Transcript, labels: Labels) -> list[SkillEvent]:
    """A follow-up promise with a concrete time earns 100; without a time, 50. No promise: the
    skill is not assessed."""
    promises = [t for t in transcript.agent_turns if "promise_follow_up" in t.acts]
    if not promises:
        return []
    timed = next((t for t in promises if _TIME.search(t.text)), None)
    if timed is not None:
        when = _TIME.search(timed.text).group(0)
        return [SkillEvent("promises", timed.position, "promise_with_time", _cut(timed.text),
                           f"You promised a follow-up with a concrete time ('{when}').", 100.0)]
    return [SkillEvent("promises", promises[0].position, "promise_without_time",
                       _cut(promises[0].text),
                       "You promised a follow-up but gave no time; say when ('by 5pm today').",
                       50.0)]


SKILL_EVENTS = {
    "open_questions": (0.0, open_question_events),
    "paraphrasing": (0.0, paraphrasing_events),
    "listening": (100.0, listening_events),
    "apologies": (0.0, apology_events),
    "first_impression": (0.0, first_impression_events),
    "temperament_fit": (0.0, temperament_fit_events),
    "proactivity": (0.0, proactivity_events),
    "promises": (0.0, promise_events),
}
