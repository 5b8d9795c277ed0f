"""Every kind of scorecard event, its plain-English label, and whether it marks a fault.

A scorer can only emit a kind listed here (`SkillEvent.kind` is this Literal), and every kind has
a label, so the scorecard never shows a generated name such as "not no curt replies". Faults are
what advice is drawn from: advice never points at a skill the agent did well.
"""

from __future__ import annotations

from extramile.vocab import EVENT_KINDS, EventKind, complete

# kind -> (label, a fault)
_KINDS: dict[EventKind, tuple[str, bool]] = complete(
    {
        "open_question": ("Open question", False),
        "closed_question": ("Closed question", True),
        "fact_uncovered_by_open_question": ("Fact uncovered by an open question", False),
        "fact_uncovered": ("Fact came out without an open question", True),
        "no_questions": ("No questions before the fix", True),
        "reflection": ("Paraphrase", False),
        "missed_reflection": ("Not paraphrased", True),
        "inaccurate_reflection": ("Paraphrase with a detail the customer never gave", True),
        "interruption": ("Interruption", True),
        "arguing": ("Arguing", True),
        "dominating_share": ("Too much of the talking", True),
        "listened": ("Listened throughout", False),
        "apology": ("Prompt apology", False),
        "late_apology": ("Late apology", True),
        "missed_apology": ("No apology", True),
        "non_apology": ("Non-apology", True),
        "greeting": ("Greeting", False),
        "no_greeting": ("No greeting", True),
        "own_name": ("Gave own name", False),
        "no_own_name": ("Did not give own name", True),
        "warmth": ("Warmth", False),
        "no_warmth": ("No warmth", True),
        "short_messages": ("Short messages", False),
        "long_message": ("Long message", True),
        "solution_soon": ("Solution offered soon", False),
        "solution_late": ("Solution too late", True),
        "one_question_at_a_time": ("One question at a time", False),
        "several_questions": ("Several questions at once", True),
        "no_curt_replies": ("No curt replies", False),
        "curt_reply": ("Curt reply", True),
        "gentle_open_questions": ("Gentle open questions", False),
        "few_open_questions": ("Too few open questions", True),
        "reassurance": ("Reassurance", False),
        "no_reassurance": ("No reassurance", True),
        "no_interrogation": ("No interrogation", False),
        "interrogation": ("A string of closed questions", True),
        "explained": ("Explained what happened", False),
        "no_explanation": ("No explanation", True),
        "specifics": ("Numbers and reasons", False),
        "no_specifics": ("No numbers or reasons", True),
        "next_step": ("Next step offered", False),
        "no_next_steps": ("No next steps", True),
        "promise_with_time": ("Follow-up promised with a time", False),
        "promise_without_time": ("Follow-up promised without a time", True),
    },
    EVENT_KINDS,
    "the event kinds",
)


def label(kind: EventKind) -> str:
    return _KINDS[kind][0]


def is_fault(kind: EventKind) -> bool:
    return _KINDS[kind][1]
