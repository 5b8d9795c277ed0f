"""Who may chat in which conversation: new conversation ids and the chat tokens for them.

A new conversation's id is made for the signed-in trainee (it carries an HMAC of its owner); a
token for it is issued only to that trainee, and for a conversation already under way only to the
trainee whose session it is. The token then fixes persona and mode for the chat servers.
"""

from __future__ import annotations

import re
import time
from typing import Any

from sanic import Request
from sanic.exceptions import InvalidUsage, NotFound
from sqlalchemy.orm import Session

from extramile import chat_tokens, store
from extramile.vocab import MODES
from web.auth import Viewer
from web.views import in_db, personas


def new_conversation(request: Request, viewer: Viewer) -> str:
    return chat_tokens.new_conversation_id(viewer.username, request.app.ctx.settings.secret_key)


def _claims(db: Session, viewer: Viewer, conversation_id: str, secret_key: str) -> dict[str, Any] | None:
    """The claims for a conversation already logged, or None for one not started yet."""
    session = store.find_session(db, conversation_id)
    if session is None:
        if not chat_tokens.made_for(conversation_id, viewer.username, secret_key):
            raise NotFound(
                f"No conversation of yours with id '{conversation_id}'. Start one from the home page."
            )
        return None
    if session.trainee is None or session.trainee.name != viewer.username:
        raise NotFound(f"No conversation of yours with id '{conversation_id}'. Start one from the home page.")
    persona_id = session.persona_version.persona_id
    return {"persona": persona_id, "mode": session.mode, "seed": session.seed}


async def chat_token(
    request: Request, viewer: Viewer, conversation_id: Any, persona: Any, mode: Any
) -> dict[str, Any]:
    """A token for the viewer to chat in this conversation: {conversation_id, token, expires_at}."""
    settings = request.app.ctx.settings
    if not isinstance(conversation_id, str) or not re.fullmatch(
        chat_tokens.CONVERSATION_ID_PATTERN, conversation_id
    ):
        raise InvalidUsage(
            "conversation_id must be an id from POST /api/conversations (letters, digits, - and _)."
        )
    claims = await in_db(request, _claims, viewer, conversation_id, settings.secret_key)
    if claims is None:  # not started: persona and mode are the trainee's choice
        if not isinstance(persona, str) or persona not in await personas(request):
            raise InvalidUsage(f"There is no customer called '{persona}'. GET /api/personas lists them.")
        if mode not in MODES:
            raise InvalidUsage(f"mode must be one of {', '.join(MODES)}.")
        claims = {"persona": persona, "mode": mode}
    token, issued = chat_tokens.issue(
        {"conversation_id": conversation_id, "trainee": viewer.username, **claims},
        settings.secret_key,
        settings.chat_token_minutes,
        time.time(),
    )
    return {
        "conversation_id": conversation_id,
        "token": token,
        "expires_at": issued.expires_at,
        "persona": issued.persona,
        "mode": issued.mode,
    }
