"""The JSON API: personas, sessions (summaries, whole reports, chat history) and health."""

from __future__ import annotations

import time
from typing import Any

from sanic import Blueprint, Request, response
from sqlalchemy.orm import Session

from extramile.store import reports
from web.views import in_db, persona_cards, session_or_404

api = Blueprint("api", url_prefix="/api")


def _report(db: Session, sender_id: str) -> dict[str, Any]:
    return reports.session_report(session_or_404(db, sender_id))


def _history(db: Session, sender_id: str) -> reports.ChatHistory:
    return reports.chat_history(session_or_404(db, sender_id))


@api.get("/health")
async def health(request: Request) -> response.HTTPResponse:
    return response.json({"status": "ok"})


@api.get("/personas")
async def personas(request: Request) -> response.HTTPResponse:
    return response.json(await persona_cards(request))


@api.get("/sessions")
async def sessions(request: Request) -> response.HTTPResponse:
    trainee = request.args.get("trainee")
    try:
        limit = int(request.args.get("limit", "100"))
    except ValueError:
        return response.json({"error": "limit must be a whole number"}, status=400)
    if not 1 <= limit <= 1000:
        return response.json({"error": "limit must be between 1 and 1000"}, status=400)
    return response.json(await in_db(request, reports.session_summaries, trainee, limit))


@api.get("/sessions/<sender_id>")
async def session(request: Request, sender_id: str) -> response.HTTPResponse:
    return response.json(await in_db(request, _report, sender_id))


@api.get("/sessions/<sender_id>/chat")
async def chat_history(request: Request, sender_id: str) -> response.HTTPResponse:
    history = await in_db(request, _history, sender_id)
    return response.json(history.as_json(server_time=time.time()))
