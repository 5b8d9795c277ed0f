"""The practice-session service over a real database: a scripted session scored live, through
the real engine, detectors and scorer, and messages that reached Rasa while the simulator was down.

The scripted session has a known interruption, a non-apology, a late apology, two open and two
closed questions and a verbatim paraphrase; the test checks each event and score, that re-scoring
the stored transcript reproduces the stored scorecard exactly, and that hints appear only in
practice.
"""

from sqlalchemy.orm import Session

from extramile import store
from extramile.customer import DetectedAct
from extramile.personas import PersonaCatalogue
from extramile.practice import ChatMessage, PracticeService
from extramile.scoring import compare
from extramile.settings import PROJECT_ROOT
from extramile.store.reports import session_report


def service_for(url, personas_dir, scorer):
    """A service with a calmer copy of bill-shock-aggressive, so the script's slips (an
    interruption, a non-apology) do not make the customer give up before every event is played."""
    personas_dir.mkdir(exist_ok=True)
    original = (PROJECT_ROOT / "personas" / "bill-shock-aggressive.yml").read_text()
    calmer = original.replace("mood:\n  start: 30", "mood:\n  start: 70")
    assert calmer != original
    (personas_dir / "bill-shock-aggressive.yml").write_text(calmer)
    store.migrate(url)
    return PracticeService(store.create_db_engine(url), PersonaCatalogue(personas_dir), scorer)


class Script:
    def __init__(self, service, mode="practice", sender="scripted"):
        self.service, self.state, self.clock, self.sender = service, None, 1_000.0, sender
        self.meta = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": mode, "seed": 7}
        self.missed = []
        self.step = self.send("/start_session", [], wait=0)

    def message(self, text, acts, wait=30.0, interrupt=False):
        ends = self.state.turn_ends_at if self.state else self.clock
        self.clock = ends - 1.0 if interrupt else max(self.clock, ends) + wait
        return ChatMessage(
            text=text,
            at=self.clock,
            nlu_model="model-1",
            acts=tuple(DetectedAct(act=a, confidence=0.9) for a in acts),
        )

    def miss(self, text, acts, wait=30.0):
        """A message that reaches Rasa while the action server is down."""
        self.missed.append(self.message(text, acts, wait))

    def send(self, text, acts, wait=30.0, interrupt=False):
        message = self.message(text, acts, wait, interrupt)
        step = self.service.handle(
            self.sender, self.meta, message, self.state.dict() if self.state else None, self.missed
        )
        self.missed = []
        self.state = step.state
        return step


def report_of(url, sender="scripted"):
    with Session(store.create_db_engine(url), future=True) as db:
        return session_report(store.find_session(db, sender))


def play(url, personas_dir, scorer, mode="practice"):
    script = Script(service_for(url, personas_dir, scorer), mode)
    hints = []
    for text, acts, kwargs in [
        (
            "Hi, I'm Sam. Is now a good time?",
            ["greet", "introduce_self", "ask_closed_question"],
            {"interrupt": True},
        ),  # interruption
        ("I'm sorry you feel that way.", ["argue"], {}),  # non-apology
        ("What happened with your bill?", ["ask_open_question"], {}),  # open question
        ("So it went from £32 to £58 overnight.", ["reflect"], {}),  # verbatim
        ("I'm really sorry about the jump in your bill.", ["apologize"], {}),  # late apology
        ("Could you tell me more about what else is on the bill?", ["ask_open_question"], {}),
        ("Can you confirm your postcode?", ["ask_closed_question"], {}),  # closed question
        (
            "I've refunded the difference and I'll call you tomorrow at 10am.",
            ["offer_solution", "promise_follow_up"],
            {},
        ),
    ]:
        hints.append(script.send(text, acts, **kwargs).hint)
    with Session(store.create_db_engine(url), future=True) as db:
        session = store.find_session(db, "scripted")
        report = session_report(session)
        stored = store.stored_scorecard(session)
        fresh = scorer.score(
            store.load_transcript(
                session,
                script.service.catalogue.version(
                    "bill-shock-aggressive", session.persona_version.content
                ).persona,
            )
        )
    return report, compare(stored, fresh), hints


def agent_position(report, text):
    return next(m["position"] for m in report["messages"] if m["speaker"] == "agent" and m["text"] == text)


def kinds(card, skill):
    return [e["kind"] for e in card["skills"][skill]["events"]]


def test_scripted_session_events_and_scores(sqlite_url, tmp_path, scorer):
    report, comparison, hints = play(sqlite_url, tmp_path / "personas", scorer)
    card = report["scorecard"]
    at = lambda text: agent_position(report, text)  # noqa: E731

    [interruption] = [e for e in card["skills"]["listening"]["events"] if e["kind"] == "interruption"]
    assert interruption["message"] == at("Hi, I'm Sam. Is now a good time?")
    assert interruption["points"] == -30

    questions = [
        e
        for e in card["skills"]["open_questions"]["events"]
        if e["kind"] in ("open_question", "closed_question")
    ]
    assert [e["kind"] for e in questions] == [
        "closed_question",
        "open_question",
        "open_question",
        "closed_question",
    ]
    assert [e["points"] for e in questions] == [0, 17.5, 17.5, 0]  # 70 points over 4 questions

    [non_apology] = [e for e in card["skills"]["apologies"]["events"] if e["kind"] == "non_apology"]
    assert non_apology["message"] == at("I'm sorry you feel that way.") and non_apology["points"] == -10
    late = [e for e in card["skills"]["apologies"]["events"] if e["kind"] == "late_apology"]
    assert late and all(e["message"] == at("I'm really sorry about the jump in your bill.") for e in late)

    reflections = [e for e in card["skills"]["paraphrasing"]["events"] if e["kind"] == "reflection"]
    assert [e["message"] for e in reflections] == [at("So it went from £32 to £58 overnight.")]

    assert kinds(card, "promises") == ["promise_with_time"]
    assert card["skills"]["promises"]["score"] == 100
    assert card["skills"]["listening"]["score"] <= 70
    for skill in card["skills"].values():
        for event in skill["events"]:
            assert event["explanation"] and isinstance(event["points"], (int, float))
    assert comparison.differences == [] and comparison.changed == []  # re-scoring reproduces it
    assert card["versions"]["nlu_models"] == ["model-1"]
    assert hints[0] and "typing" in hints[0]  # practice mode coaches on the interruption


def test_assessment_mode_gives_no_hints_and_the_same_scorecard(sqlite_url, tmp_path, scorer):
    practice, _, _ = play(sqlite_url, tmp_path / "personas", scorer)
    assessment, _, hints = play(
        f"sqlite:///{tmp_path / 'assessment.db'}", tmp_path / "personas", scorer, mode="assessment"
    )
    assert hints == [None] * len(hints)
    assert practice["scorecard"] == assessment["scorecard"]


def test_mood_changes_and_their_reasons_are_stored_with_each_customer_turn(sqlite_url, tmp_path, scorer):
    script = Script(service_for(sqlite_url, tmp_path / "personas", scorer))
    script.send("I'm so sorry about your bill. What happened?", ["apologize", "ask_open_question"])
    turns = report_of(sqlite_url)["turns"]
    customer = [t for t in turns if t["speaker"] == "customer"]
    assert customer[0]["mood_reasons"] == [] and customer[0]["mood_delta"] == 0  # the opening
    assert customer[1]["mood_delta"] > 0 and "apologize (+4)" in customer[1]["mood_reasons"]
    assert [t["speaker"] for t in turns] == ["customer", "agent", "customer"]


def test_an_end_chat_missed_while_the_simulator_was_down_ends_the_session(sqlite_url, tmp_path, scorer):
    script = Script(service_for(sqlite_url, tmp_path / "personas", scorer))
    script.send("Hello, I'm Sam. What happened?", ["greet", "introduce_self", "ask_open_question"])
    script.miss("/end_session", [])
    step = script.send("Are you still there?", ["ask_closed_question"])
    report = report_of(sqlite_url)
    assert report["outcome"] == "ended_by_trainee"
    assert step.state.outcome == "ended_by_trainee" and "session has ended" in step.notices[0]
    agent = [m["text"] for m in report["messages"] if m["speaker"] == "agent"]
    assert "/end_session" not in agent  # a command, never an agent message
    assert agent[-1] == "Are you still there?"  # logged after the end: kept, not scored
    quoted = [e["quote"] for s in report["scorecard"]["skills"].values() for e in s["events"]]
    assert not any("Are you still there" in q for q in quoted)


def test_messages_missed_during_an_outage_are_logged_and_cost_no_points(sqlite_url, tmp_path, scorer):
    script = Script(service_for(sqlite_url, tmp_path / "personas", scorer))
    script.send(
        "Hello, I'm Sam, sorry about this. What happened?",
        ["greet", "introduce_self", "apologize", "ask_open_question"],
    )
    script.miss("Hello?", ["greet"])
    script.miss("Are you there?", ["ask_closed_question"])
    script.miss("/start_session", [])
    script.send("Sorry, our system was down. Could you tell me more?", ["apologize", "ask_open_question"])
    report = report_of(sqlite_url)
    agent = [m["text"] for m in report["messages"] if m["speaker"] == "agent"]
    assert agent == [
        "Hello, I'm Sam, sorry about this. What happened?",
        "Hello?",
        "Are you there?",
        "Sorry, our system was down. Could you tell me more?",
    ]
    late = [m["delivered_late"] for m in report["messages"] if m["speaker"] == "agent"]
    assert late == [False, True, True, False]  # marked as sent while the simulator was down
    # The three messages in a row form one agent turn; none of them is "dominating".
    assert [t["speaker"] for t in report["turns"]] == ["customer", "agent", "customer", "agent", "customer"]
    kinds = [e["kind"] for e in report["scorecard"]["skills"]["listening"]["events"]]
    assert not any(k.startswith("dominating") for k in kinds)


def test_the_customer_reads_a_message_as_the_scorecard_does(sqlite_url, tmp_path, scorer):
    # The NLU took empathy for arguing; the detectors (and so the scorecard) say it is not, and the
    # customer reacts to what the scorecard credits.
    script = Script(service_for(sqlite_url, tmp_path / "personas", scorer))
    step = script.send("You're not bothering me at all, that's what I'm here for. What happened?", ["argue"])
    assert not any(r.startswith("argue") for r in step.customer_turn.mood_reasons)
    report = report_of(sqlite_url)
    agent = [m for m in report["messages"] if m["speaker"] == "agent"]
    assert [a["act"] for a in agent[0]["acts"]] == ["argue"]  # what the NLU said is kept
    assert not [e for e in report["scorecard"]["skills"]["listening"]["events"] if e["kind"] == "arguing"]


def fixed_session(sqlite_url, tmp_path, scorer):
    script = Script(service_for(sqlite_url, tmp_path / "personas", scorer))
    script.send("I'm so sorry. What happened with your bill?", ["apologize", "ask_open_question"])
    script.send("Were you told the deal or discount was ending?", ["ask_closed_question"])
    step = script.send("I've put you back on £32 and refunded the £26 difference today.", ["offer_solution"])
    assert step.customer_turn.fixed and step.state.outcome is None
    assert "accepted your fix" in step.notices[0]
    report = report_of(sqlite_url)
    assert report["outcome"] == "resolved" and report["ended_at"] is None  # open for the close
    return script


def test_after_the_fix_the_call_stays_open_until_the_agent_closes_it(sqlite_url, tmp_path, scorer):
    script = fixed_session(sqlite_url, tmp_path, scorer)
    step = script.send("Is there anything else I can help with?", ["ask_closed_question"])
    assert step.state.outcome is None
    step = script.send("Thanks Dave, take care. Bye.", ["thank", "goodbye"])
    assert step.state.outcome == "resolved" and "resolved" in step.notices[-1]
    report = report_of(sqlite_url)
    assert report["ended_at"] is not None
    # Closed by the agent after the fix: the card counts the problem as resolved.
    assert not any("not resolved" in reason for reason in report["scorecard"]["failed_because"])


def test_a_fixed_call_nobody_closes_ends_when_the_customer_leaves(sqlite_url, tmp_path, scorer):
    script = fixed_session(sqlite_url, tmp_path, scorer)
    fixed_at = script.state.fixed_at
    step = script.send("Sorry, are you still there?", ["ask_closed_question"], wait=700)
    assert step.state.outcome == "resolved" and "has left" in step.notices[0]
    report = report_of(sqlite_url)
    assert report["outcome"] == "resolved"
    assert report["messages"][-1]["text"] == "Sorry, are you still there?"  # kept, after the end
    from datetime import datetime

    ended = datetime.fromisoformat(report["ended_at"]).timestamp()
    assert abs(ended - (fixed_at + 600)) < 0.01
