"""The practice-session service when things go wrong, over a real database: a message delivered
twice (a client's retry after a lost reply), a Rasa slot lost or behind the log, an ended session
written to again, the database locked or gone (SQLite and PostgreSQL), messages that cannot be
stored, and messages the customer simulator missed during an outage.
"""

import dataclasses
import os
import sqlite3

import pytest
import sqlalchemy
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from extramile import store
from extramile.customer import DetectedAct
from extramile.personas import PersonaCatalogue
from extramile.practice import (
    DATABASE_UNAVAILABLE,
    MISSED_UNSTORABLE,
    UNSTORABLE,
    ChatMessage,
    PracticeService,
)
from extramile.store.reports import session_report

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
META = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": "practice", "seed": 7}
SORRY = (
    "Hi, I'm Sam, I'm so sorry about your bill. What happened?",
    ["greet", "apologize", "ask_open_question"],
)


def service_for(settings, scorer, url=None, engine=None):
    return PracticeService(
        engine or store.create_db_engine(url), PersonaCatalogue(settings.personas_dir), scorer
    )


class Chat:
    """A conversation as Rasa drives the service: a slot copy of the customer's state, the server's
    clock, and an id for every message (the idempotency key a client's retry repeats)."""

    def __init__(self, service, sender="faulty"):
        self.service, self.sender = service, sender
        self.slot, self.clock, self.sent = None, 1_000.0, 0

    def message(self, said, acts=(), wait=60.0):
        self.clock += wait
        self.sent += 1
        return ChatMessage(
            text=said,
            at=self.clock,
            acts=tuple(DetectedAct(act=a, confidence=0.9) for a in acts),
            nlu_model="model-1",
            message_id=f"{self.sender}-{self.sent}",
        )

    def deliver(self, message, missed=()):
        step = self.service.handle(self.sender, META, message, self.slot, missed)
        if step.saved:  # the action leaves the slot alone when nothing was saved
            self.slot = step.state.dict() if step.state else None
        return step

    def send(self, said, acts=(), wait=60.0):
        return self.deliver(self.message(said, acts, wait))

    def start(self):
        return self.send("/start_session", wait=0)


def retry(message, later=5.0):
    """The same message delivered again: the same id, a new arrival at the server."""
    return dataclasses.replace(message, at=message.at + later)


def rows(url, sender="faulty"):
    with Session(store.create_db_engine(url), future=True) as db:
        session = store.find_session(db, sender)
        return [(m.speaker, m.text, m.message_key, m.delivered_late) for m in session.messages]


def report(url, sender="faulty"):
    with Session(store.create_db_engine(url), future=True) as db:
        return session_report(store.find_session(db, sender))


def stored_state(url, sender="faulty"):
    with Session(store.create_db_engine(url), future=True) as db:
        return store.find_session(db, sender).customer_state


def texts(step):
    return [(m.text, m.at) for m in step.customer_turn.messages] if step.customer_turn else []


def test_the_same_message_twice_is_logged_and_answered_once(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    before = chat.slot
    message = chat.message(*SORRY)
    first = chat.deliver(message)
    logged = rows(sqlite_url)
    chat.slot = before  # the reply was lost: Rasa never stored the new state
    again = chat.deliver(retry(message))
    assert rows(sqlite_url) == logged  # nothing logged again
    assert [r for r in logged if r[0] == "agent"] == [("agent", SORRY[0], "faulty-2", False)]
    assert texts(again) == texts(first) and texts(first)  # the same customer messages, as logged
    assert again.notices == [] and again.state == first.state
    assert again.customer_turn == first.customer_turn  # mood, its reasons, the fact revealed


def test_the_message_that_ended_the_session_delivered_again_replays_the_last_turn(
    sqlite_url, settings, scorer
):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    chat.send(*SORRY)
    before = chat.slot
    goodbye = chat.message("Thanks, bye.", ["thank", "goodbye"])
    first = chat.deliver(goodbye)
    assert first.state.outcome == "closed_by_agent" and first.customer_turn.outcome == "closed_by_agent"
    logged = rows(sqlite_url)
    chat.slot = before
    again = chat.deliver(retry(goodbye))
    assert again.customer_turn == first.customer_turn and again.state.outcome == "closed_by_agent"
    assert again.notices == [] and rows(sqlite_url) == logged


def test_a_retry_after_a_lost_reply_with_the_message_among_the_missed_is_not_doubled(
    sqlite_url, settings, scorer
):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    down = chat.message("Hello? Are you there?", ["ask_closed_question"])
    message = chat.message(*SORRY)
    first = chat.deliver(message, missed=[down])
    logged = rows(sqlite_url)
    assert [r[1:] for r in logged if r[0] == "agent"] == [
        ("Hello? Are you there?", "faulty-2", True),
        (SORRY[0], "faulty-3", False),
    ]
    # Rasa died after the log was written: the slot is behind, and both come back as missed.
    again = chat.deliver(retry(message), missed=[down, message])
    assert rows(sqlite_url) == logged and texts(again) == texts(first)
    # A new message after a missed one that is already logged: only the new one is logged.
    later = chat.message("So it went from £32 to £58?", ["reflect"])
    step = chat.deliver(later, missed=[message])
    agent = [r[1] for r in rows(sqlite_url) if r[0] == "agent"]
    assert agent == ["Hello? Are you there?", SORRY[0], "So it went from £32 to £58?"]
    assert step.customer_turn is not None and step.notices == []


def test_a_message_delivered_again_before_it_was_logged_is_logged_and_answered_once(
    sqlite_url, settings, scorer
):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    message = chat.message(*SORRY)
    # The first delivery reached Rasa but no action ran; the retry comes with it among the missed.
    step = chat.deliver(retry(message), missed=[message, message])
    assert step.customer_turn is not None and step.notices == []
    assert [r for r in rows(sqlite_url) if r[0] == "agent"] == [("agent", SORRY[0], "faulty-2", False)]


def test_the_start_delivered_twice_replays_the_opening_and_logs_it_once(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    start = chat.message("/start_session", wait=0)
    first = chat.deliver(start)
    chat.slot = None  # the reply was lost
    again = chat.deliver(retry(start))
    assert texts(again) == texts(first) and again.notices == []
    assert [r[0] for r in rows(sqlite_url)] == ["customer"] * len(texts(first))


def test_a_lost_slot_carries_on_the_logged_session_without_a_second_opening(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    opening = chat.start()
    chat.send(*SORRY)
    chat.slot = None  # Rasa's tracker lost the conversation
    step = chat.send("So your bill went from £32 to £58?", ["reflect"])
    assert step.customer_turn is not None and step.state.agent_turns == 2
    assert not set(texts(step)) & set(texts(opening))
    again = chat.deliver(chat.message("/start_session", wait=1))  # a new start: never a second one
    assert again.customer_turn is None and "already under way" in again.notices[0]
    logged = report(sqlite_url)
    assert [t["speaker"] for t in logged["turns"]] == ["customer", "agent", "customer", "agent", "customer"]
    assert sum(m["text"] == texts(opening)[0][0] for m in logged["messages"]) == 1
    assert stored_state(sqlite_url) == chat.slot


def test_a_slot_behind_the_log_loses_to_the_log(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    stale = chat.slot
    first = chat.send(*SORRY)
    chat.slot = stale  # Rasa died after the action committed: its slot missed the last turn
    step = chat.send("Could you tell me more about what else is on the bill?", ["ask_open_question"])
    assert step.state.agent_turns == 2  # counted on from the log's state, not the slot's
    assert set(first.state.said) <= set(step.state.said)  # the customer remembers what they said
    assert stored_state(sqlite_url) == step.state.dict()


def test_an_ended_session_stays_ended(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    chat.send(*SORRY)
    before_end = chat.slot
    ended = chat.send("/end_session")
    assert ended.state.outcome == "ended_by_trainee"
    for slot in (None, before_end):  # lost, or behind the log
        chat.slot = slot
        step = chat.send("Wait, one more thing.")
        assert step.customer_turn is None and step.state.outcome == "ended_by_trainee"
        assert "session has ended" in step.notices[0]
    logged = report(sqlite_url)
    assert logged["outcome"] == "ended_by_trainee"
    assert [m["text"] for m in logged["messages"][-2:]] == ["Wait, one more thing."] * 2  # kept, not scored


def test_a_locked_sqlite_database_is_a_not_saved_notice(sqlite_url, settings, scorer):
    engine = sqlalchemy.create_engine(
        sqlite_url, future=True, connect_args={"timeout": 0.2, "check_same_thread": False}
    )
    chat = Chat(service_for(settings, scorer, engine=engine))
    chat.start()
    before = chat.slot
    locker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        message = chat.message(*SORRY)
        step = chat.deliver(message)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert step.notices == [DATABASE_UNAVAILABLE] and "not saved" in step.notices[0]
    assert step.saved is False and step.state is None and step.customer_turn is None
    assert chat.slot == before
    assert [r[0] for r in rows(sqlite_url)] == ["customer"] * 2  # the opening only
    assert chat.deliver(retry(message, 60)).customer_turn is not None  # sent again: answered


def test_a_database_that_refuses_connections_is_a_not_saved_notice(settings, scorer):
    engine = sqlalchemy.create_engine("postgresql://postgres@127.0.0.1:1/nowhere", future=True)
    chat = Chat(service_for(settings, scorer, engine=engine))
    chat.slot = {"persona_id": "bill-shock-aggressive", "persona_hash": "h", "seed": 7, "mood": 30}
    for message in (chat.message("/start_session", wait=0), chat.message(*SORRY)):
        step = chat.deliver(message)
        assert step.notices == [DATABASE_UNAVAILABLE] and step.saved is False


def test_postgres_refusing_connections_is_a_not_saved_notice(new_postgres_database, settings, scorer):
    with new_postgres_database() as url:
        store.migrate(url)
        name = url.rsplit("/", 1)[1]
        service = service_for(settings, scorer, url)
        chat = Chat(service)
        chat.start()
        admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
        try:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": name},
                )
            message = chat.message(*SORRY)
            step = chat.deliver(message)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
        assert step.notices == [DATABASE_UNAVAILABLE] and step.saved is False and step.state is None
        again = chat.deliver(retry(message, 60))  # the database is back: the pool reconnects
        assert again.customer_turn is not None and again.notices == []
        assert [r[1] for r in rows(url) if r[0] == "agent"] == [SORRY[0]]
        service.db.dispose()


@pytest.mark.parametrize("bad", ["what \x00 happened?", "what \ud800 happened?"])
def test_a_message_that_cannot_be_stored_never_breaks_the_session(sqlite_url, settings, scorer, bad):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    step = chat.send(bad)
    assert step.notices == [UNSTORABLE] and step.customer_turn is None and step.state is not None
    # Missed while the simulator was down: skipped with a notice, once, and the rest carries on.
    poison = chat.message(bad)
    step = chat.deliver(chat.message(*SORRY), missed=[poison])
    assert step.notices[0] == MISSED_UNSTORABLE and step.customer_turn is not None
    assert [r[1] for r in rows(sqlite_url) if r[0] == "agent"] == [SORRY[0]]


def test_a_message_id_too_long_to_store_is_hashed_into_a_key(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    message = dataclasses.replace(chat.message(*SORRY), message_id="x" * 5000)
    first = chat.deliver(message)
    again = chat.deliver(retry(message))
    [agent] = [r for r in rows(sqlite_url) if r[0] == "agent"]
    assert agent[2].startswith("sha256:") and len(agent[2]) <= 255
    assert texts(again) == texts(first)


def test_messages_missed_during_an_outage_cost_no_listening_points(sqlite_url, settings, scorer):
    chat = Chat(service_for(settings, scorer, sqlite_url))
    chat.start()
    step = chat.send(*SORRY)
    # The simulator is down: the trainee writes at length, before the customer's turn has arrived.
    chat.clock = step.state.turn_ends_at - 4
    at_length = "I am looking into every single part of your bill for you right now, one moment please. " * 4
    missed = [chat.message(at_length, ["explain"], wait=1) for _ in range(3)]
    chat.deliver(
        chat.message("Sorry, our system was down. Could you tell me more?", ["ask_open_question"]), missed
    )
    logged = report(sqlite_url)
    late = [m["position"] for m in logged["messages"] if m["delivered_late"]]
    assert len(late) == 3
    listening = logged["scorecard"]["skills"]["listening"]["events"]
    assert not [e for e in listening if e["kind"] == "dominating_share"]
    assert not [e for e in listening if e["kind"] == "interruption" and e["message"] in late]
    # The same transcript without the marks: the checks would have counted them.
    with Session(store.create_db_engine(sqlite_url), future=True) as db:
        session = store.find_session(db, "faulty")
        transcript = store.load_transcript(session, chat.service._persona_version(session).persona)
    unmarked = dataclasses.replace(
        transcript, messages=tuple(dataclasses.replace(m, missed=False) for m in transcript.messages)
    )
    counted = scorer.score(unmarked).json_dict()["skills"]["listening"]["events"]
    assert {e["message"] for e in counted if e["kind"] == "interruption"} >= set(late)
    assert [e for e in counted if e["kind"] == "dominating_share"]


def test_the_log_keeps_each_message_key_once_per_session(sqlite_url, settings, scorer):
    engine = store.create_db_engine(sqlite_url)
    Chat(service_for(settings, scorer, engine=engine)).start()
    with Session(engine, future=True) as db, db.begin():
        session = store.find_session(db, "faulty")
        twice = [
            store.NewTurn("agent", [store.NewMessage("a", 1e4, key="k"), store.NewMessage("b", 1e4 + 1)])
        ]
        store.add_turns(db, session, twice)
        store.add_turns(db, session, [store.NewTurn("agent", [store.NewMessage("c", 1e4 + 2)])])  # keyless
    with pytest.raises(sqlalchemy.exc.IntegrityError), Session(engine, future=True) as db, db.begin():
        session = store.find_session(db, "faulty")
        store.add_turns(db, session, [store.NewTurn("agent", [store.NewMessage("a", 1e4 + 3, key="k")])])
    with Session(engine, future=True) as db:
        keys = db.execute(select(store.MessageRow.message_key).where(store.MessageRow.speaker == "agent"))
        assert sorted(keys.scalars(), key=str) == sorted(["k", None, None], key=str)
