"""A scripted session scored live, through the real engine, detectors, scorer and database.

The session has a known interruption, a non-apology, a late apology, two open and two closed
questions and a verbatim paraphrase; the test checks each event and score, that re-scoring the
stored transcript reproduces the stored scorecard exactly, and that hints appear only in practice.
"""

import pytest
from sqlalchemy.orm import Session

from actions import storage
from actions.customer import AgentMessage, DetectedAct
from actions.labelling import label_transcript
from actions.rubric import load_rubric
from actions.scoring import differences, rescore
from actions.session import PracticeSessions
from actions.settings import PROJECT_ROOT


def sessions_for(url, personas_dir):
    """Sessions with a calmer copy of bill-shock-aggressive, so the script's slips (an
    interruption, a non-apology) do not make the customer give up before every event is played."""
    personas_dir.mkdir(exist_ok=True)
    original = (PROJECT_ROOT / "personas" / "bill-shock-aggressive.yml").read_text()
    calmer = original.replace("mood:\n  start: 30", "mood:\n  start: 70")
    assert calmer != original
    (personas_dir / "bill-shock-aggressive.yml").write_text(calmer)
    storage.migrate(url)
    return PracticeSessions(storage.create_db_engine(url), personas_dir,
                            rubric=load_rubric(), label=label_transcript)


class Script:
    def __init__(self, sessions, mode="practice"):
        self.sessions, self.state, self.clock = sessions, None, 1_000.0
        meta = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": mode, "seed": 7}
        self.meta = meta
        self.step = self.send("/start_session", [], wait=0)

    def send(self, text, acts, wait=30.0, interrupt=False):
        ends = self.state.turn_ends_at if self.state else self.clock
        self.clock = ends - 1.0 if interrupt else max(self.clock, ends) + wait
        message = AgentMessage(text=text, timestamp=self.clock,
                               acts=tuple(DetectedAct(act=a, confidence=0.9) for a in acts))
        step = self.sessions.step("scripted", self.meta, message,
                                  self.state.dict() if self.state else None,
                                  starts_session=text == "/start_session")
        self.state = step.state
        return step


def play(url, personas_dir, mode="practice"):
    script = Script(sessions_for(url, personas_dir), mode)
    hints = []
    for text, acts, kwargs in [
        ("Hi, I'm Sam. Is this about your bill?", ["greet", "introduce_self", "ask_closed_question"],
         {"interrupt": True}),                                                     # interruption
        ("I'm sorry you feel that way.", ["argue"], {}),                            # non-apology
        ("What happened with your bill?", ["ask_open_question"], {}),               # open question
        ("So it went from £32 to £58 overnight.", ["reflect"], {}),  # verbatim
        ("I'm really sorry about the jump in your bill.", ["apologize"], {}),       # late apology
        ("Could you tell me more about what else is on the bill?", ["ask_open_question"], {}),
        ("Can you confirm your postcode?", ["ask_closed_question"], {}),            # closed question
        ("I've refunded the difference and I'll call you tomorrow at 10am.",
         ["offer_solution", "promise_follow_up"], {}),
    ]:
        hints.append(script.send(text, acts, **kwargs).hint)
    with Session(storage.create_db_engine(url), future=True) as db:
        session = storage.find_session(db, "scripted")
        report = storage.session_report(session)
        fresh = rescore(session, load_rubric(), label_transcript)
    return report, fresh, hints


def agent_position(report, text):
    return next(t["position"] for t in report["turns"] if t["speaker"] == "agent" and t["text"] == text)


def kinds(card, skill):
    return [e["kind"] for e in card["skills"][skill]["events"]]


def test_scripted_session_events_and_scores(sqlite_url, tmp_path):
    report, fresh, hints = play(sqlite_url, tmp_path / "personas")
    card = report["scorecard"]
    at = lambda text: agent_position(report, text)  # noqa: E731

    [interruption] = [e for e in card["skills"]["listening"]["events"] if e["kind"] == "interruption"]
    assert interruption["turn"] == at("Hi, I'm Sam. Is this about your bill?")
    assert interruption["points"] == -15

    questions = [e for e in card["skills"]["open_questions"]["events"]
                 if e["kind"] in ("open_question", "closed_question")]
    assert [e["kind"] for e in questions] == ["closed_question", "open_question", "open_question",
                                              "closed_question"]
    assert [e["points"] for e in questions] == [0, 17.5, 17.5, 0]  # 70 points over 4 questions

    [non_apology] = [e for e in card["skills"]["apologies"]["events"] if e["kind"] == "non_apology"]
    assert non_apology["turn"] == at("I'm sorry you feel that way.") and non_apology["points"] == -10
    late = [e for e in card["skills"]["apologies"]["events"] if e["kind"] == "late_apology"]
    assert late and all(e["turn"] == at("I'm really sorry about the jump in your bill.") for e in late)

    reflections = [e for e in card["skills"]["paraphrasing"]["events"] if e["kind"] == "reflection"]
    assert [e["turn"] for e in reflections] == [
        at("So it went from £32 to £58 overnight.")]

    assert kinds(card, "promises") == ["promise_with_time"]
    assert card["skills"]["promises"]["score"] == 100
    assert card["skills"]["listening"]["score"] <= 85
    for skill in card["skills"].values():
        for event in skill["events"]:
            assert event["explanation"] and isinstance(event["points"], (int, float))
    assert differences(card, fresh) == []  # re-scoring the stored transcript reproduces it
    assert hints[0] and "typing" in hints[0]  # practice mode coaches on the interruption


def test_assessment_mode_gives_no_hints_and_the_same_scorecard(sqlite_url, tmp_path):
    practice, _, _ = play(sqlite_url, tmp_path / "personas")
    assessment, _, hints = play(f"sqlite:///{tmp_path / 'assessment.db'}", tmp_path / "personas",
                                mode="assessment")
    assert hints == [None] * len(hints)
    assert differences(practice["scorecard"], assessment["scorecard"]) == []


@pytest.mark.parametrize("field", ["overall", "passed", "skills", "advice"])
def test_scorecard_shape_matches_the_report_contract(sqlite_url, tmp_path, field):
    report, _, _ = play(sqlite_url, tmp_path / "personas")
    assert field in report["scorecard"]
