"""The scorecard: skill events -> a 0-100 score per skill, an overall score, pass or fail, advice.

A pure function of (transcript, labels, rubric). Each skill's score is its base plus the points of
its events, kept within 0-100, so every point on the card is explained by an event. A skill with no
events had nothing to judge and is not assessed; its weight goes to the others.
"""

from __future__ import annotations

from typing import Any

from actions.rubric import Rubric
from actions.skill_events import SKILL_EVENTS, Labels, SkillEvent
from actions.transcript import Transcript

# What to practise next for each skill, used when the skill is the weakest.
PRACTICE = {
    "open_questions": "Ask open questions before you offer a fix: 'What happened when…?', "
                      "'Tell me more about…'.",
    "paraphrasing": "After the customer explains, say it back in a sentence: 'So what I'm hearing "
                    "is…'.",
    "listening": "Wait until the customer has finished typing, and acknowledge rather than argue.",
    "apologies": "Apologise in your next message when the customer reports a problem, and say what "
                 "you are sorry for.",
    "first_impression": "Open with a greeting, your name and a warm line.",
    "temperament_fit": "Match the customer: short and solution-first for aggressive, warm for "
                       "expressive, gentle for passive, specific for analytical.",
    "proactivity": "Tell the customer what happens next before they have to ask.",
    "promises": "When you promise a follow-up, give a concrete time.",
}


def skill_score(base: float, events: list[SkillEvent]) -> float:
    return max(0.0, min(100.0, base + sum(e.points for e in events)))


def score_transcript(transcript: Transcript, labels: Labels, rubric: Rubric) -> dict[str, Any]:
    """The scorecard as plain data (the shape stored and shown by session_report)."""
    skills: dict[str, dict[str, Any]] = {}
    for skill, (base, find_events) in SKILL_EVENTS.items():
        events = find_events(transcript, labels)
        score: float | None = round(skill_score(base, events), 1) if events else None
        rule = rubric.skills[skill]
        skills[skill] = {
            "score": score,
            "weight": rule.weight,
            "pass_mark": rule.pass_mark,
            "passed": None if score is None else score >= rule.pass_mark,
            "events": [e.as_dict() for e in events],
        }
    assessed = {k: v for k, v in skills.items() if v["score"] is not None and v["weight"] > 0}
    total_weight = sum(v["weight"] for v in assessed.values())
    overall = round(sum(v["score"] * v["weight"] for v in assessed.values()) / total_weight, 1) \
        if total_weight else 0.0
    passed = overall >= rubric.pass_mark and all(v["passed"] for v in assessed.values())
    return {
        "overall": overall,
        "passed": passed,
        "pass_mark": rubric.pass_mark,
        "rubric_hash": rubric.content_hash,
        "skills": skills,
        "advice": advice(skills),
    }


def advice(skills: dict[str, dict[str, Any]], limit: int = 3) -> list[str]:
    """Two or three concrete things to do differently: the skills that lost the most weighted
    points, each with the first event that cost them."""
    losses = sorted(
        ((100 - v["score"]) * v["weight"], skill) for skill, v in skills.items()
        if v["score"] is not None and v["score"] < 100
    )
    tips = []
    for _loss, skill in reversed(losses[-limit:]):
        worst = next((e for e in skills[skill]["events"] if e["points"] <= 0 and e["quote"]), None)
        where = f" (for example: \"{worst['quote']}\")" if worst else ""
        tips.append(PRACTICE[skill] + where)
    return tips
