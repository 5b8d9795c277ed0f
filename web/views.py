"""What the pages and the API share: rendering, request bodies, personas and their cards, finding
a session the viewer may see, and reading the database off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Request, response
from sanic.exceptions import InvalidUsage, NotFound
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


def render(request: Request, name: str, status: int = 200, **context: Any) -> response.HTTPResponse:
    """A page; every page knows the viewer (None: signed out) for its header and forms."""
    context.setdefault("viewer", getattr(request.ctx, "viewer", None))
    page = request.app.ctx.templates.get_template(name).render(**context)
    return response.html(page, status=status)


def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON body, which must be an object; 400 saying so otherwise."""
    body = request.json  # Sanic answers 400 itself when the body is not JSON
    if not isinstance(body, dict):
        raise InvalidUsage('The request body must be a JSON object, for example {"persona": "..."}.')
    return body


def may_see(session: store.TrainingSession, viewer: Any) -> bool:
    """Trainers and admins see every session; a trainee only their own."""
    return bool(viewer.is_staff or (session.trainee is not None and session.trainee.name == viewer.username))


def session_or_404(db: Session, sender_id: str, viewer: Any) -> store.TrainingSession:
    """The session, if it exists and the viewer may see it; another trainee's is "not found" too,
    so ids cannot be probed."""
    session = store.find_session(db, sender_id)
    if session is None or not may_see(session, viewer):
        raise NotFound(f"No session of yours with id '{sender_id}'. Start one from the home page.")
    return session


async def in_db(request: Request, read: Callable[..., Result], *args: Any) -> Result:
    """`read(db, *args)` in a worker thread with a database session of its own: a slow query
    never holds up the other requests."""

    def run() -> Result:
        with Session(request.app.ctx.engine, future=True) as db:
            return read(db, *args)

    return await asyncio.to_thread(run)
