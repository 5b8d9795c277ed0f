"""The Rasa action over a real session log: rasa_sdk Tracker and CollectingDispatcher, no servers."""

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import actions, storage
from actions.actions import ActionCustomerTurn


class Conversation:
    """Feeds trainee messages to the action the way Rasa would, carrying slots between turns."""

    def __init__(self, sender_id="trainee-1", metadata=None, clock=1_000.0):
        self.sender_id = sender_id
        self.metadata = metadata
        self.slots = {"customer_state": None, "processed_until": None,
                      "session_started_metadata": metadata}
        self.events = []
        self.clock = clock

    def user_event(self, text, intent, confidence=0.93, wait=60.0):
        self.clock += wait
        event = {"event": "user", "text": text, "timestamp": self.clock,
                 "metadata": self.metadata or {},
                 "parse_data": {"intent": {"name": intent, "confidence": confidence}}}
        self.events.append(event)
        return event

    def run(self):
        latest = self.events[-1]
        tracker = Tracker(self.sender_id, dict(self.slots), latest["parse_data"] | {
            "text": latest["text"], "metadata": latest["metadata"]}, list(self.events), False,
            None, None, "action_listen")
        dispatcher = CollectingDispatcher()
        result = asyncio.run(ActionCustomerTurn().run(dispatcher, tracker, {}))
        for event in result:
            self.slots[event["name"]] = event["value"]
        self.events.extend(result)
        return dispatcher.messages

    def send(self, text, intent, **kwargs):
        self.user_event(text, intent, **kwargs)
        return self.run()


@pytest.fixture
def db_url(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CUSTOMER_TYPING_SCALE", "1.0")
    actions.practice_sessions.cache_clear()
    yield sqlite_url
    actions.practice_sessions.cache_clear()


def texts(messages):
    return [m["text"] for m in messages if m.get("text")]


def payload(messages):
    return next(m["custom"]["extra_mile"] for m in messages if m.get("custom"))


def logged_turns(url, sender_id):
    with Session(storage.create_db_engine(url), future=True) as db:
        return storage.session_report(storage.find_session(db, sender_id))["turns"]


META = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": "practice"}


def test_session_starts_with_the_customer_and_is_logged(db_url):
    chat = Conversation(metadata=META)
    opening = chat.send("/start_session", "start_session")
    assert texts(opening) and not any(t.startswith("[Extra Mile]") for t in texts(opening))
    info = payload(opening)
    assert [m["text"] for m in info["messages"]] == texts(opening) and info["mood"] == 30
    reply = chat.send("Sorry about that, what happened?", "apologize+ask_open_question")
    assert texts(reply)
    turns = logged_turns(db_url, "trainee-1")
    agent = [t for t in turns if t["speaker"] == "agent"]
    assert [t["text"] for t in agent] == ["Sorry about that, what happened?"]
    assert [a["act"] for a in agent[0]["acts"]] == ["apologize", "ask_open_question"]
    assert {t["speaker"] for t in turns} == {"agent", "customer"}


def test_no_session_started_explains_how_to_start(db_url):
    messages = Conversation(metadata=None).send("hello", "greet")
    [notice] = texts(messages)
    assert "No practice session has started" in notice and "bill-shock-aggressive" in notice


def test_unknown_persona_lists_the_valid_ones(db_url):
    chat = Conversation(metadata={"persona": "nobody", "trainee": "Ana"})
    [notice] = texts(chat.send("/start_session", "start_session"))
    assert "no customer called 'nobody'" in notice and "bill-shock-aggressive" in notice
    assert chat.slots["customer_state"] is None


def test_bad_mode_is_explained(db_url):
    chat = Conversation(metadata={**META, "mode": "exam"})
    [notice] = texts(chat.send("/start_session", "start_session"))
    assert "mode" in notice and "practice" in notice


def test_empty_message_is_answered_and_nothing_breaks(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    [notice] = texts(chat.send("   ", "out_of_scope"))
    assert "empty" in notice
    assert texts(chat.send("What happened?", "ask_open_question"))


@pytest.mark.parametrize("text", [
    "x" * 5000, "😡😡 ça ne marche pas — 请帮帮我", "<script>alert('hi')</script><b>bold</b>",
])
def test_unusual_text_is_stored_exactly(db_url, text):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    assert texts(chat.send(text, "out_of_scope"))
    assert [t["text"] for t in logged_turns(db_url, "trainee-1") if t["speaker"] == "agent"] == [text]


def test_typing_over_the_customer_is_an_interruption(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    reply = chat.send("hello?", "greet", wait=0.1)
    assert payload(reply)["interrupted"] is True
    assert texts(reply)[0] in ("Let me finish!", "Hang on, I'm still typing.")


def test_messages_missed_while_the_action_server_was_down_are_logged(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    chat.user_event("Hello, I'm Priya", "greet+introduce_self")  # Rasa got it; no action ran
    reply = chat.send("What happened with the bill?", "ask_open_question")
    assert texts(reply)
    agent = [t["text"] for t in logged_turns(db_url, "trainee-1") if t["speaker"] == "agent"]
    assert agent == ["Hello, I'm Priya", "What happened with the bill?"]


def test_session_end_is_announced_and_later_messages_still_logged(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    ending = chat.send("Thanks, bye", "thank+goodbye")
    assert any("session has ended" in t for t in texts(ending))
    after = chat.send("wait, one more thing", "out_of_scope")
    assert "Start a new session" in texts(after)[0]
    with Session(storage.create_db_engine(db_url), future=True) as db:
        report = storage.session_report(storage.find_session(db, "trainee-1"))
    assert report["outcome"] == "closed_by_agent" and report["ended_at"]
    assert report["turns"][-1]["text"] == "wait, one more thing"
    json.dumps(report)  # the report is plain data


def test_end_chat_ends_and_scores_the_session_without_what_the_customer_was_still_typing(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    chat.send("I'm sorry about the bill. What happened?", "apologize+ask_open_question")
    # End at once, while the customer is still typing their answer.
    ending = chat.send("/end_session", "end_session", wait=0.1)
    assert texts(ending) == ["[Extra Mile] You ended the chat. The session has ended."]
    assert payload(ending)["outcome"] == "ended_by_trainee"
    assert chat.slots["customer_state"]["outcome"] == "ended_by_trainee"
    with Session(storage.create_db_engine(db_url), future=True) as db:
        session = storage.find_session(db, "trainee-1")
        report = storage.session_report(session)
        unseen = [t.text for t in session.turns if t.speaker == "customer" and t.timestamp > session.ended_at]
    assert report["outcome"] == "ended_by_trainee" and report["scorecard"] is not None
    assert "/end_session" not in [t["text"] for t in report["turns"]]
    assert unseen, "the customer should still have been typing when the chat ended"
    quoted = {e["quote"] for s in report["scorecard"]["skills"].values() for e in s["events"]}
    assert not set(unseen) & quoted
    again = chat.send("/end_session", "end_session")
    assert texts(again) == ["[Extra Mile] You ended the chat. The session has ended."]


def test_end_chat_without_a_session_says_there_is_nothing_to_end(db_url):
    [notice] = texts(Conversation(metadata=META).send("/end_session", "end_session"))
    assert "nothing to end" in notice


def test_typed_words_that_look_like_a_command_are_an_agent_message(db_url):
    chat = Conversation(metadata=META)
    chat.send("/start_session", "start_session")
    chat.send("let's begin", "start_session")
    agent = [t["text"] for t in logged_turns(db_url, "trainee-1") if t["speaker"] == "agent"]
    assert agent == ["let's begin"]
