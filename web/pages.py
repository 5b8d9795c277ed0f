"""The pages: pick a customer, chat, and read the scorecard (signed in, each trainee their own)."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, response
from sanic.exceptions import NotFound
from sqlalchemy.orm import Session

from extramile import chat_tokens, store
from extramile.store import reports
from extramile.vocab import MODES, OUTCOME_LABELS
from web.auth import Viewer, signed_in
from web.chat_access import new_conversation
from web.views import in_db, persona_card, persona_cards, personas, render, session_or_404

pages = Blueprint("pages")


@pages.get("/")
@signed_in()
async def index(request: Request) -> response.HTTPResponse:
    return render(request, "index.html", personas=await persona_cards(request))


def _chat_problems(persona_id: str, mode: str, known: dict[str, Any]) -> list[str]:
    problems = []
    if persona_id not in known:
        problems.append(f"There is no customer called '{persona_id}'. Pick one on the home page.")
    if mode not in MODES:
        problems.append(f"Mode must be practice or assessment, not '{mode}'.")
    return problems


@pages.post("/chat")
@signed_in()
async def start_chat(request: Request) -> response.HTTPResponse:
    """The home page's form: a new conversation, made for this trainee, then its chat page."""
    form = request.form or {}
    persona_id, mode = form.get("persona", ""), form.get("mode", "practice")
    problems = _chat_problems(persona_id, mode, await personas(request))
    if problems:
        return render(request, "error.html", status=400, problems=problems)
    conversation = new_conversation(request, request.ctx.viewer)
    query = f"persona={persona_id}&mode={mode}"  # both checked above: ids and plain words
    return response.redirect(f"/chat/{conversation}?{query}", status=303)


def _logged(db: Session, sender_id: str, viewer: Viewer) -> dict[str, str] | None:
    """A logged session's persona and mode, if the viewer may see it; None if not logged yet."""
    session = store.find_session(db, sender_id)
    if session is None:
        return None
    session = session_or_404(db, sender_id, viewer)
    return {"persona": session.persona_version.persona_id, "mode": session.mode}


@pages.get("/chat/<sender_id>")
@signed_in()
async def chat(request: Request, sender_id: str) -> response.HTTPResponse:
    viewer: Viewer = request.ctx.viewer
    logged = await in_db(request, _logged, sender_id, viewer)
    if logged is None and not chat_tokens.made_for(
        sender_id, viewer.username, request.app.ctx.settings.secret_key
    ):
        raise NotFound(f"No conversation of yours with id '{sender_id}'. Start one from the home page.")
    choice = logged or {
        "persona": request.args.get("persona", ""),
        "mode": request.args.get("mode", "practice"),
    }
    known = await personas(request)
    problems = _chat_problems(choice["persona"], choice["mode"], known)
    if problems:
        return render(request, "error.html", status=400, problems=problems)
    return render(
        request,
        "chat.html",
        sender_id=sender_id,
        persona=persona_card(known[choice["persona"]]),
        mode=choice["mode"],
        rasa_url=request.app.ctx.settings.rasa_public_url,
    )


def _scorecard_view(db: Session, sender_id: str, viewer: Viewer) -> dict[str, Any]:
    session = session_or_404(db, sender_id, viewer)
    card = store.stored_scorecard(session)
    return {
        "report": reports.session_report(session),
        "card": card,
        "events": card.events_by_message() if card else {},
        # Why the customer's mood moved: coaching material, shown in practice mode.
        "moods": {
            t.index: {"mood": t.mood, "delta": t.mood_delta, "reasons": t.mood_reasons}
            for t in session.turns
            if t.mood_reasons
        }
        if session.mode == "practice"
        else {},
    }


@pages.get("/scorecard/<sender_id>")
@signed_in()
async def scorecard(request: Request, sender_id: str) -> response.HTTPResponse:
    view = await in_db(request, _scorecard_view, sender_id, request.ctx.viewer)
    return render(request, "scorecard.html", outcomes=OUTCOME_LABELS, **view)
