"""Scoring a transcript: skill events -> a 0-100 score per skill, overall, pass or fail, advice.

`score_transcript` is a pure function of (transcript, labels, rubric). Each skill's score is its
base plus the points of its events, kept within 0-100, so every point on the card is explained by
an event. A skill with no events had nothing to judge and is not assessed; its weight goes to the
others. `Scorer` puts the labeller and the rubric together: the action server, re-scoring and the
command-line tools all score through it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from extramile.detectors.labeller import Labeller, Labels
from extramile.reading import read_acts
from extramile.scoring.rubric import Rubric, load_rubric
from extramile.scoring.scorecard import EvidenceVersions, Scorecard, SkillEvent, SkillResult
from extramile.scoring.skills import SCORERS
from extramile.scoring.versions import DETECTORS_VERSION, SCORER_VERSION
from extramile.settings import Settings
from extramile.transcript import Transcript
from extramile.vocab import OUTCOME_LABELS, SKILLS, Skill, complete

# What to practise next for each skill, used when the skill is among the weakest.
PRACTICE: dict[Skill, str] = complete(
    {
        "open_questions": "Ask open questions before you offer a fix: 'What happened when…?', "
        "'Tell me more about…'.",
        "paraphrasing": "After the customer explains, say it back in a sentence: 'So what I'm hearing is…'.",
        "listening": "Wait until the customer has finished typing, and acknowledge rather than argue.",
        "apologies": "Apologise in your next message when the customer reports a problem, and say what "
        "you are sorry for.",
        "first_impression": "Open with a greeting, your name and a warm line.",
        "temperament_fit": "Match the customer: short and solution-first for aggressive, warm for "
        "expressive, gentle for passive, specific for analytical.",
        "proactivity": "Tell the customer what happens next before they have to ask.",
        "promises": "When you promise a follow-up, give a concrete time.",
    },
    SKILLS,
    "the practice advice",
)


def read_transcript(transcript: Transcript, labels: Labels) -> Transcript:
    """The transcript with each agent message's acts as the one reading gives them."""
    messages = tuple(
        dataclasses.replace(m, acts=tuple(sorted(read_acts(m.text, m.acts, labels[m.position]))))
        if m.speaker == "agent"
        else m
        for m in transcript.messages
    )
    return dataclasses.replace(transcript, messages=messages)


def skill_score(base: float, events: list[SkillEvent]) -> float:
    return max(0.0, min(100.0, base + sum(e.points for e in events)))


def score_transcript(
    transcript: Transcript, labels: Labels, rubric: Rubric, versions: EvidenceVersions
) -> Scorecard:
    transcript = read_transcript(transcript, labels)
    skills: dict[Skill, SkillResult] = {}
    for skill, (base, find_events) in SCORERS.items():
        events = find_events(transcript, labels)
        score = round(skill_score(base, events), 1) if events else None
        rule = rubric.skills[skill]
        skills[skill] = SkillResult(
            score=score,
            weight=rule.weight,
            pass_mark=rule.pass_mark,
            passed=None if score is None else score >= rule.pass_mark,
            events=events,
        )
    assessed = [r for r in skills.values() if r.score is not None and r.weight > 0]
    total_weight = sum(r.weight for r in assessed)
    sent = len(transcript.agent_messages)
    judged = total_weight > 0 and sent >= rubric.pass_rules.min_agent_messages
    overall = (
        round(sum(r.score * r.weight for r in assessed if r.score is not None) / total_weight, 1)
        if judged
        else None
    )
    failed_because = _failed_because(transcript, skills, rubric, overall)
    return Scorecard(
        overall=overall,
        passed=not failed_because,
        pass_mark=rubric.pass_mark,
        failed_because=failed_because,
        versions=versions,
        skills=skills,
        advice=advice(transcript, skills),
    )


def _failed_because(
    transcript: Transcript, skills: dict[Skill, SkillResult], rubric: Rubric, overall: float | None
) -> list[str]:
    """Every reason the session does not pass, in plain words (empty: it passes)."""
    reasons = []
    sent, needed = len(transcript.agent_messages), rubric.pass_rules.min_agent_messages
    if overall is None:
        reasons.append(
            f"Too little to judge: you sent {sent} message{'s' * (sent != 1)}; a scored "
            f"conversation needs at least {needed}."
        )
    elif overall < rubric.pass_mark:
        reasons.append(f"The overall score {overall:g} is below the pass mark {rubric.pass_mark:g}.")
    if rubric.pass_rules.require_resolution and transcript.outcome != "resolved":
        reasons.append(
            "The customer's problem was not resolved"
            + (f" ({OUTCOME_LABELS[transcript.outcome]})." if transcript.outcome else " yet.")
        )
    for skill, result in skills.items():
        if result.passed is False:
            reasons.append(
                f"{skill.replace('_', ' ').capitalize()} scored {result.score:g}, below "
                f"its pass mark {result.pass_mark:g}."
            )
    return reasons


def advice(transcript: Transcript, skills: dict[Skill, SkillResult], limit: int = 3) -> list[str]:
    """Two or three concrete things to do differently: the skills that lost the most weighted
    points through a fault of the agent's, each with the first such moment. A skill with no
    fault event gets no advice, so advice never contradicts the card."""
    losses = sorted(
        ((100 - r.score) * r.weight, skill)
        for skill, r in skills.items()
        if r.score is not None and r.score < 100 and any(e.fault for e in r.events)
    )
    speaker: dict[int | None, str] = {m.position: m.speaker for m in transcript.messages}
    tips = []
    for _loss, skill in reversed(losses[-limit:]):
        faults = [e for e in skills[skill].events if e.fault and e.quote]
        own = next((e for e in faults if speaker.get(e.message) == "agent"), None)
        theirs = next((e for e in faults if speaker.get(e.message) == "customer"), None)
        if own is not None:
            where = f' (you wrote: "{own.quote}")'
        elif theirs is not None:
            where = f' (when the customer said: "{theirs.quote}")'
        else:
            where = ""
        tips.append(PRACTICE[skill] + where)
    return tips


class Scorer:
    """Labels a transcript's agent messages and scores it against the rubric."""

    def __init__(self, rubric: Rubric, labeller: Labeller):
        self.rubric = rubric
        self.labeller = labeller

    @classmethod
    def load(cls, settings: Settings) -> Scorer:
        """The scorer as the servers and commands build it: the rubric and the models `make
        train` stored (ClassifierError says what to do when they are missing)."""
        return cls(load_rubric(settings.rubric_file), Labeller.load(settings.detector_models))

    def versions(self, nlu_models: Iterable[str] = ()) -> EvidenceVersions:
        return EvidenceVersions(
            rubric=self.rubric.content_hash,
            scorer=SCORER_VERSION,
            detectors=DETECTORS_VERSION,
            detector_models=self.labeller.models.trained_on,
            nlu_models=sorted(set(nlu_models)),
        )

    def score(self, transcript: Transcript, nlu_models: Iterable[str] = ()) -> Scorecard:
        labels = self.labeller.label_transcript(transcript)
        return score_transcript(transcript, labels, self.rubric, self.versions(nlu_models))
