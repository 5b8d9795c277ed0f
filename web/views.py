"""What the pages and the API share: personas and their cards, finding a session, and reading the
database off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Request
from sanic.exceptions import NotFound
from sqlalchemy.orm import Session

from extramile import store
from extramile.personas import LoadedPersona

Result = TypeVar("Result")


def persona_card(loaded: LoadedPersona) -> dict[str, Any]:
    persona = loaded.persona
    return {
        "id": persona.id,
        "name": persona.name,
        "temperament": persona.temperament,
        "difficulty": persona.difficulty,
        "title": persona.scenario.title,
    }


async def personas(request: Request) -> dict[str, LoadedPersona]:
    """The catalogue's personas, read off the event loop (a changed file is parsed again)."""
    return await asyncio.to_thread(request.app.ctx.catalogue.personas)


async def persona_cards(request: Request) -> list[dict[str, Any]]:
    return [persona_card(p) for _, p in sorted((await personas(request)).items())]


def session_or_404(db: Session, sender_id: str) -> store.TrainingSession:
    session = store.find_session(db, sender_id)
    if session is None:
        raise NotFound(f"No session with id '{sender_id}'. Start one from the home page.")
    return session


async def in_db(request: Request, read: Callable[..., Result], *args: Any) -> Result:
    """`read(db, *args)` in a worker thread with a database session of its own: a slow query
    never holds up the other requests."""

    def run() -> Result:
        with Session(request.app.ctx.engine, future=True) as db:
            return read(db, *args)

    return await asyncio.to_thread(run)
