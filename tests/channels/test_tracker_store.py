"""The strict tracker store: a database failure gets through Rasa's FailSafeTrackerStore as
TrackerStoreUnavailable, never as an empty conversation and never as the process exiting."""

import asyncio

import pytest
import sqlalchemy
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import channels.tracker_store
from channels.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable


@pytest.fixture
def store(tmp_path):
    # As Rasa builds it from endpoints.yml: the URL as `host`, wrapped in FailSafeTrackerStore.
    strict = StrictSQLTrackerStore(host=f"sqlite:///{tmp_path / 'rasa.db'}", domain=Domain.empty())
    return strict, FailSafeTrackerStore(strict)


def tracker(sender: str) -> DialogueStateTracker:
    conversation = DialogueStateTracker(sender, [])
    conversation.update(UserUttered("hello", {"name": "greet", "confidence": 1.0}))
    return conversation


def test_conversations_are_saved_and_read_back(store):
    _, failsafe = store
    asyncio.run(failsafe.save(tracker("c-1")))
    again = asyncio.run(failsafe.retrieve("c-1"))
    assert again is not None and again.latest_message.text == "hello"
    assert asyncio.run(failsafe.retrieve("c-2")) is None


def test_a_database_failure_is_not_swallowed(store):
    strict, failsafe = store
    asyncio.run(failsafe.save(tracker("c-1")))
    with strict.engine.begin() as connection:
        connection.execute(sqlalchemy.text("DROP TABLE events"))
    for call in (
        failsafe.retrieve("c-1"),
        failsafe.save(tracker("c-1")),
        failsafe.retrieve_full_tracker("c-1"),
    ):
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(call)


def test_a_value_error_does_not_exit_the_process(store, monkeypatch):
    _, failsafe = store

    def missing_schema(session):
        raise ValueError("no such schema")

    monkeypatch.setattr(channels.tracker_store, "ensure_schema_exists", missing_schema)
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(failsafe.retrieve("c-1"))
    # What stopped the server (finding 1): an id the driver cannot encode raises a ValueError.
    monkeypatch.undo()
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(failsafe.retrieve("x\ud800y"))


def test_it_is_not_an_exception_so_that_rasa_cannot_swallow_it():
    assert not issubclass(TrackerStoreUnavailable, Exception)
