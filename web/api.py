"""The JSON API: personas, sessions (summaries, whole reports, chat history), chat tokens, health.

Every route but /api/health needs a signed-in viewer (POST /api/login); a trainee reads only
their own sessions, trainers and admins everyone's. Errors are JSON `{"error": "..."}` with a 4xx.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from sanic import Blueprint, Request, response
from sqlalchemy import text
from sqlalchemy.orm import Session

from extramile.store import reports
from web.auth import Viewer, signed_in
from web.chat_access import chat_token, new_conversation
from web.views import in_db, json_object, persona_cards, session_or_404

api = Blueprint("api", url_prefix="/api")


def _report(db: Session, sender_id: str, viewer: Viewer) -> dict[str, Any]:
    return reports.session_report(session_or_404(db, sender_id, viewer))


def _history(db: Session, sender_id: str, viewer: Viewer) -> reports.ChatHistory:
    return reports.chat_history(session_or_404(db, sender_id, viewer))


def _database_answers(db: Session) -> None:
    db.execute(text("SELECT 1"))


async def _server_answers(url: str) -> str:
    try:
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url) as reply:
            return "ok" if reply.status == 200 else f"answered HTTP {reply.status}"
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
        return f"unreachable ({type(error).__name__})"


async def _database_status(request: Request) -> str:
    try:
        await asyncio.wait_for(in_db(request, _database_answers), timeout=5)
        return "ok"
    except Exception as error:  # any failure is the answer: which part is down, and how
        return f"unreachable ({type(error).__name__})"


@api.get("/health")
async def health(request: Request) -> response.HTTPResponse:
    """Each part the product needs, checked now: the database, the Rasa server, the action server."""
    settings = request.app.ctx.settings
    action_health = settings.action_server_url.rsplit("/webhook", 1)[0] + "/health"
    database, rasa, actions = await asyncio.gather(
        _database_status(request), _server_answers(settings.rasa_url + "/"), _server_answers(action_health)
    )
    checks = {"database": database, "rasa": rasa, "action_server": actions}
    healthy = all(state == "ok" for state in checks.values())
    return response.json(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@api.get("/personas")
@signed_in()
async def personas(request: Request) -> response.HTTPResponse:
    return response.json(await persona_cards(request))


@api.get("/sessions")
@signed_in()
async def sessions(request: Request) -> response.HTTPResponse:
    viewer: Viewer = request.ctx.viewer
    trainee = request.args.get("trainee") if viewer.is_staff else viewer.username
    try:
        limit = int(request.args.get("limit", "100"))
    except ValueError:
        return response.json({"error": "limit must be a whole number"}, status=400)
    if not 1 <= limit <= 1000:
        return response.json({"error": "limit must be between 1 and 1000"}, status=400)
    return response.json(await in_db(request, reports.session_summaries, trainee, limit))


@api.get("/sessions/<sender_id>")
@signed_in()
async def session(request: Request, sender_id: str) -> response.HTTPResponse:
    return response.json(await in_db(request, _report, sender_id, request.ctx.viewer))


@api.get("/sessions/<sender_id>/chat")
@signed_in()
async def chat_history(request: Request, sender_id: str) -> response.HTTPResponse:
    history = await in_db(request, _history, sender_id, request.ctx.viewer)
    return response.json(history.as_json(server_time=time.time()))


@api.post("/conversations")
@signed_in()
async def conversations(request: Request) -> response.HTTPResponse:
    """A new conversation for the viewer, with its chat token: {"persona": id, "mode": ...}."""
    body = json_object(request)
    conversation = new_conversation(request, request.ctx.viewer)
    issued = await chat_token(
        request, request.ctx.viewer, conversation, body.get("persona"), body.get("mode", "practice")
    )
    return response.json(issued, status=201)


@api.post("/chat-token")
@signed_in()
async def token(request: Request) -> response.HTTPResponse:
    """A fresh token for a conversation of the viewer's: {"conversation_id", "persona", "mode"}
    (persona and mode matter only before the session has started)."""
    body = json_object(request)
    issued = await chat_token(
        request,
        request.ctx.viewer,
        body.get("conversation_id"),
        body.get("persona"),
        body.get("mode", "practice"),
    )
    return response.json(issued)
