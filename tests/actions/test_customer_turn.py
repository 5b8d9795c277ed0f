"""The Rasa action over a real session log: rasa_sdk Tracker and CollectingDispatcher, no servers."""

import asyncio
import json
import sqlite3
import uuid

import pytest
import sqlalchemy
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.customer_turn import ActionCustomerTurn, chat_message
from extramile import store
from extramile.personas import PersonaCatalogue
from extramile.practice import PracticeService
from extramile.store.reports import session_report


class Conversation:
    """Feeds trainee messages to the action the way Rasa would, carrying slots between turns."""

    def __init__(self, action, sender_id="trainee-1", metadata=None, clock=1_000.0):
        self.action = action
        self.sender_id = sender_id
        self.metadata = metadata
        self.slots = {"customer_state": None, "processed_until": None, "session_started_metadata": metadata}
        self.events = []
        self.clock = clock

    def user_event(self, text, intent, confidence=0.93, wait=60.0, message_id=None):
        self.clock += wait
        event = {
            "event": "user",
            "text": text,
            "timestamp": self.clock,
            "message_id": message_id or uuid.uuid4().hex,  # Rasa's own, unless the client sent one
            "metadata": {**(self.metadata or {}), "model_id": "model-1"},
            "parse_data": {"intent": {"name": intent, "confidence": confidence}},
        }
        self.events.append(event)
        return event

    def run(self):
        latest = self.events[-1]
        tracker = Tracker(
            self.sender_id,
            dict(self.slots),
            latest["parse_data"] | {"text": latest["text"], "metadata": latest["metadata"]},
            list(self.events),
            False,
            None,
            None,
            "action_listen",
        )
        dispatcher = CollectingDispatcher()
        result = asyncio.run(self.action.run(dispatcher, tracker, {}))
        for event in result:
            self.slots[event["name"]] = event["value"]
        self.events.extend(result)
        return dispatcher.messages

    def send(self, text, intent, **kwargs):
        self.user_event(text, intent, **kwargs)
        return self.run()


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def action(db_url, settings, scorer):
    service = PracticeService(
        store.create_db_engine(db_url), PersonaCatalogue(settings.personas_dir), scorer, typing_scale=1.0
    )
    return ActionCustomerTurn(service)


def texts(messages):
    return [m["text"] for m in messages if m.get("text")]


def payload(messages):
    return next(m["custom"]["extra_mile"] for m in messages if m.get("custom"))


def report(url, sender_id="trainee-1"):
    with Session(store.create_db_engine(url), future=True) as db:
        return session_report(store.find_session(db, sender_id))


def logged_messages(url, sender_id="trainee-1"):
    return report(url, sender_id)["messages"]


META = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": "practice"}


def test_session_starts_with_the_customer_and_is_logged(action, db_url):
    chat = Conversation(action, metadata=META)
    opening = chat.send("/start_session", "start_session")
    assert texts(opening) and not any(t.startswith("[Extra Mile]") for t in texts(opening))
    info = payload(opening)
    assert [m["text"] for m in info["messages"]] == texts(opening) and info["mood"] == 30
    reply = chat.send("Sorry about that, what happened?", "apologize+ask_open_question")
    assert texts(reply)
    messages = logged_messages(db_url)
    agent = [m for m in messages if m["speaker"] == "agent"]
    assert [m["text"] for m in agent] == ["Sorry about that, what happened?"]
    assert [a["act"] for a in agent[0]["acts"]] == ["apologize", "ask_open_question"]
    assert {m["speaker"] for m in messages} == {"agent", "customer"}
    assert report(db_url)["scorecard"]["versions"]["nlu_models"] == ["model-1"]
    assert info["server_time"] > 0  # the client corrects its clock by it


def test_no_session_started_explains_how_to_start(action, db_url):
    messages = Conversation(action, metadata=None).send("hello", "greet")
    [notice] = texts(messages)
    assert "No practice session has started" in notice and "bill-shock-aggressive" in notice


def test_unknown_persona_lists_the_valid_ones(action, db_url):
    chat = Conversation(action, metadata={"persona": "nobody", "trainee": "Ana"})
    [notice] = texts(chat.send("/start_session", "start_session"))
    assert "no customer called 'nobody'" in notice and "bill-shock-aggressive" in notice
    assert chat.slots["customer_state"] is None


def test_bad_mode_is_explained(action, db_url):
    chat = Conversation(action, metadata={**META, "mode": "exam"})
    [notice] = texts(chat.send("/start_session", "start_session"))
    assert "mode" in notice and "practice" in notice


def test_empty_message_is_answered_and_nothing_breaks(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    [notice] = texts(chat.send("   ", "out_of_scope"))
    assert "empty" in notice
    assert texts(chat.send("What happened?", "ask_open_question"))


@pytest.mark.parametrize(
    "text",
    [
        "x" * 5000,
        "😡😡 ça ne marche pas — 请帮帮我",
        "<script>alert('hi')</script><b>bold</b>",
    ],
)
def test_unusual_text_is_stored_exactly(action, db_url, text):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    assert texts(chat.send(text, "out_of_scope"))
    assert [m["text"] for m in logged_messages(db_url) if m["speaker"] == "agent"] == [text]


def test_typing_over_the_customer_is_an_interruption(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    reply = chat.send("hello?", "greet", wait=0.1)
    assert payload(reply)["interrupted"] is True
    assert texts(reply)[0] in ("Let me finish!", "Hang on, I'm still typing.")


def test_messages_missed_while_the_action_server_was_down_are_logged(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    chat.user_event("Hello, I'm Priya", "greet+introduce_self")  # Rasa got it; no action ran
    reply = chat.send("What happened with the bill?", "ask_open_question")
    assert texts(reply)
    agent = [m["text"] for m in logged_messages(db_url) if m["speaker"] == "agent"]
    assert agent == ["Hello, I'm Priya", "What happened with the bill?"]


def test_session_end_is_announced_and_later_messages_still_logged(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    ending = chat.send("Thanks, bye", "thank+goodbye")
    assert any("session has ended" in t for t in texts(ending))
    after = chat.send("wait, one more thing", "out_of_scope")
    assert "Start a new session" in texts(after)[0]
    logged = report(db_url)
    assert logged["outcome"] == "closed_by_agent" and logged["ended_at"]
    assert logged["messages"][-1]["text"] == "wait, one more thing"
    json.dumps(logged)  # the report is plain data


def test_end_chat_ends_and_scores_the_session_without_what_the_customer_was_still_typing(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    chat.send("I'm sorry about the bill. What happened?", "apologize+ask_open_question")
    # End at once, while the customer is still typing their answer.
    ending = chat.send("/end_session", "end_session", wait=0.1)
    assert texts(ending) == ["[Extra Mile] You ended the chat. The session has ended."]
    assert payload(ending)["outcome"] == "ended_by_trainee"
    assert chat.slots["customer_state"]["outcome"] == "ended_by_trainee"
    with Session(store.create_db_engine(db_url), future=True) as db:
        session = store.find_session(db, "trainee-1")
        logged = session_report(session)
        unseen = [m.text for m in session.messages if m.speaker == "customer" and m.at > session.ended_at]
    assert logged["outcome"] == "ended_by_trainee" and logged["scorecard"] is not None
    assert "/end_session" not in [m["text"] for m in logged["messages"]]
    assert unseen, "the customer should still have been typing when the chat ended"
    quoted = {e["quote"] for s in logged["scorecard"]["skills"].values() for e in s["events"]}
    assert not set(unseen) & quoted
    again = chat.send("/end_session", "end_session")
    assert texts(again) == ["[Extra Mile] You ended the chat. The session has ended."]


def test_end_chat_without_a_session_says_there_is_nothing_to_end(action, db_url):
    [notice] = texts(Conversation(action, metadata=META).send("/end_session", "end_session"))
    assert "nothing to end" in notice


def test_typed_words_that_look_like_a_command_are_an_agent_message(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    chat.send("let's begin", "start_session")
    agent = [m["text"] for m in logged_messages(db_url) if m["speaker"] == "agent"]
    assert agent == ["let's begin"]


def test_a_missed_end_chat_ends_the_session_when_the_simulator_is_back(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    chat.send("Hello, I'm Sam. What happened?", "greet+introduce_self+ask_open_question")
    chat.user_event("/end_session", "end_session")  # Rasa got it; the action server was down
    messages = chat.send("hello?", "greet")
    assert payload(messages)["outcome"] == "ended_by_trainee"
    logged = report(db_url)
    assert logged["outcome"] == "ended_by_trainee"
    assert "/end_session" not in [m["text"] for m in logged["messages"]]


def test_the_message_id_is_read_from_the_user_event():
    event = {"event": "user", "text": "hi", "timestamp": 5.0, "message_id": "client-7", "parse_data": {}}
    assert chat_message(event).message_id == "client-7" and chat_message(event).key == "client-7"


def test_a_retry_after_a_lost_reply_gets_the_same_reply_and_is_logged_once(action, db_url):
    chat = Conversation(action, metadata=META)
    chat.send("/start_session", "start_session")
    slots, events = dict(chat.slots), list(chat.events)
    first = chat.send(
        "Sorry about that, what happened?", "apologize+ask_open_question", message_id="client-1"
    )
    # Rasa died after the action had written the log: it kept the message, not the reply or the slots.
    chat.slots, chat.events = slots, events + [chat.events[len(events)]]
    again = chat.send(
        "Sorry about that, what happened?", "apologize+ask_open_question", message_id="client-1"
    )
    assert texts(again) == texts(first) and texts(first)
    assert not any(t.startswith("[Extra Mile]") for t in texts(again))
    assert payload(again)["messages"] == payload(first)["messages"] and payload(again)["notices"] == []
    agent = [m["text"] for m in logged_messages(db_url) if m["speaker"] == "agent"]
    assert agent == ["Sorry about that, what happened?"]
    assert chat.slots["customer_state"]["agent_turns"] == 1


def test_a_database_outage_says_the_message_was_not_saved_and_it_never_comes_back(db_url, settings, scorer):
    engine = sqlalchemy.create_engine(db_url, future=True, connect_args={"timeout": 0.2})
    chat = Conversation(
        ActionCustomerTurn(PracticeService(engine, PersonaCatalogue(settings.personas_dir), scorer)),
        metadata=META,
    )
    chat.send("/start_session", "start_session")
    state = chat.slots["customer_state"]
    locker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        messages = chat.send("What happened?", "ask_open_question")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    [notice] = texts(messages)
    assert notice.startswith("[Extra Mile] Our database is unavailable") and "not saved" in notice
    assert chat.events[-1] == {
        "event": "slot",
        "timestamp": None,
        "name": "processed_until",
        "value": chat.events[-2]["timestamp"],
    }
    assert chat.slots["customer_state"] == state  # left as it was
    assert texts(chat.send("What happened with your bill?", "ask_open_question"))
    agent = [m["text"] for m in logged_messages(db_url) if m["speaker"] == "agent"]
    assert agent == ["What happened with your bill?"]  # the failed one is not logged as missed
