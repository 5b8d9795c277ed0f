"""The trainee's pages: pick a customer, chat, and read the scorecard."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, response
from sqlalchemy.orm import Session

from extramile import store
from extramile.store import reports
from extramile.vocab import MODES, OUTCOME_LABELS
from web.views import in_db, persona_card, persona_cards, personas, session_or_404

pages = Blueprint("pages")


def render(request: Request, name: str, status: int = 200, **context: Any) -> response.HTTPResponse:
    page = request.app.ctx.templates.get_template(name).render(**context)
    return response.html(page, status=status)


@pages.get("/")
async def index(request: Request) -> response.HTTPResponse:
    return render(request, "index.html", personas=await persona_cards(request))


@pages.get("/chat/<sender_id>")
async def chat(request: Request, sender_id: str) -> response.HTTPResponse:
    persona_id = request.args.get("persona", "")
    trainee = request.args.get("trainee", "").strip()
    mode = request.args.get("mode", "practice")
    known = await personas(request)
    problems = []
    if persona_id not in known:
        problems.append(f"There is no customer called '{persona_id}'. Pick one on the home page.")
    if not trainee:
        problems.append("Enter your name on the home page before starting.")
    if mode not in MODES:
        problems.append(f"Mode must be practice or assessment, not '{mode}'.")
    if problems:
        return render(request, "error.html", status=400, problems=problems)
    return render(
        request,
        "chat.html",
        sender_id=sender_id,
        persona=persona_card(known[persona_id]),
        trainee=trainee,
        mode=mode,
        rasa_url=request.app.ctx.settings.rasa_public_url,
    )


def _scorecard_view(db: Session, sender_id: str) -> dict[str, Any]:
    session = session_or_404(db, sender_id)
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
async def scorecard(request: Request, sender_id: str) -> response.HTTPResponse:
    view = await in_db(request, _scorecard_view, sender_id)
    return render(request, "scorecard.html", outcomes=OUTCOME_LABELS, **view)
