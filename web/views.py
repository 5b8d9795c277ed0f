"""What the pages and the API share: persona cards, and reading the database off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Request
from sqlalchemy.orm import Session

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


async def persona_cards(request: Request) -> list[dict[str, Any]]:
    loaded = await asyncio.to_thread(request.app.ctx.catalogue.personas)
    return [persona_card(p) for _, p in sorted(loaded.items())]


async def in_db(request: Request, read: Callable[..., Result], *args: Any) -> Result:
    """`read(db, *args)` in a worker thread with a database session of its own: a slow query
    never holds up the other requests."""

    def run() -> Result:
        with Session(request.app.ctx.engine, future=True) as db:
            return read(db, *args)

    return await asyncio.to_thread(run)
