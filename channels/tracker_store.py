"""Rasa's SQL tracker store, made to fail loudly: a database fault stops the turn, it is not hidden.

Rasa wraps every tracker store in its FailSafeTrackerStore (rasa/core/agent.py), which catches any
Exception and carries on with an empty in-memory conversation: the customer would replay its
opening mid-session and the trainee's message would be lost while the chat went on as if nothing
happened. Rasa's SQLTrackerStore also calls sys.exit when the database raises a ValueError (it
takes any, even a UnicodeEncodeError, for a missing PostgreSQL schema), which stops the server.

This store turns every database failure into TrackerStoreUnavailable, which derives from
BaseException so that FailSafeTrackerStore's `except Exception` lets it through; the channels
(channels/silence.py) catch it and tell the trainee the message was not saved. Configured in
endpoints.yml as `type: channels.tracker_store.StrictSQLTrackerStore`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(BaseException):
    """The conversation could not be read or written.

    A BaseException on purpose: Rasa's FailSafeTrackerStore catches Exception and falls back to
    an empty conversation in memory; anything handling a message must catch this by name."""


class StrictSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose failures reach the channel instead of a silent in-memory fallback."""

    engine: sa.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa's engine, but testing each pooled connection before use (as the session log's
        # does), so the first message after a database restart works instead of failing.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Session]:
        # Rasa's version exits the process on ValueError; here it is one more database failure.
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    def _unavailable(self, operation: str, error: Exception) -> TrackerStoreUnavailable:
        kind = type(error).__name__
        logger.error("The tracker store could not %s a conversation: %s: %s", operation, kind, error)
        return TrackerStoreUnavailable(f"tracker store {operation} failed: {kind}")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve(sender_id)
        except Exception as error:
            raise self._unavailable("read", error) from error

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as error:
            raise self._unavailable("read", error) from error

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as error:
            raise self._unavailable("save", error) from error

    async def keys(self) -> Iterable[str]:
        try:
            return await super().keys()
        except Exception as error:
            raise self._unavailable("list", error) from error
