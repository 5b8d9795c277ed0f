"""The web app: pages for trainees and a JSON API over the session log (Sanic, Jinja2).

Reads the same database as the action server; the chat itself goes from the browser straight to
the Rasa server's socket.io channel. Every script and style comes from this project or from npm
packages installed by the setup (served from node_modules), never from another site.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic, response
from sanic.exceptions import NotFound
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from actions import storage
from actions.personas import LoadedPersona, load_personas, persona_files
from actions.settings import PROJECT_ROOT, Settings, load_settings

HERE = Path(__file__).resolve().parent
VENDOR = {  # browser files from npm packages
    "socket.io.min.js": PROJECT_ROOT / "node_modules/socket.io-client/dist/socket.io.min.js",
    "chart.umd.min.js": PROJECT_ROOT / "node_modules/chart.js/dist/chart.umd.min.js",
}
MODES = ("practice", "assessment")


def persona_card(loaded: LoadedPersona) -> dict[str, Any]:
    persona = loaded.persona
    return {"id": persona.id, "name": persona.name, "temperament": persona.temperament,
            "difficulty": persona.difficulty, "title": persona.scenario.title}


def events_by_turn(scorecard: dict[str, Any] | None) -> dict[Any, list[dict[str, Any]]]:
    """Scorecard events grouped by the turn they quote (None: about the whole session)."""
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for skill, result in (scorecard or {}).get("skills", {}).items():
        for event in result["events"]:
            grouped.setdefault(event["turn"], []).append({**event, "skill": skill})
    return grouped


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Sanic:
    settings = settings or load_settings()
    engine = engine or storage.create_db_engine(settings.database_url)
    rasa_url = os.environ.get("RASA_PUBLIC_URL", f"http://localhost:{os.environ.get('RASA_PORT', '5005')}")
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(["html"]))
    app = Sanic("extra_mile_web")
    app.static("/static", str(HERE / "static"))

    def personas() -> dict[str, LoadedPersona]:
        loaded, _problems = load_personas(persona_files(settings.personas_dir))
        return loaded

    def page(name: str, **context: Any) -> response.HTTPResponse:
        return response.html(templates.get_template(name).render(**context))

    def report_or_404(sender_id: str) -> dict[str, Any]:
        with Session(engine, future=True) as db:
            session = storage.find_session(db, sender_id)
            if session is None:
                raise NotFound(f"No session with id '{sender_id}'. Start one from the home page.")
            return storage.session_report(session)

    @app.get("/vendor/<name>")
    async def vendor(request: Request, name: str) -> response.HTTPResponse:
        if name not in VENDOR:
            raise NotFound(f"No vendor file '{name}'.")
        return await response.file(VENDOR[name])

    @app.get("/")
    async def index(request: Request) -> response.HTTPResponse:
        cards = [persona_card(p) for _, p in sorted(personas().items())]
        return page("index.html", personas=cards)

    @app.get("/chat/<sender_id>")
    async def chat(request: Request, sender_id: str) -> response.HTTPResponse:
        persona_id = request.args.get("persona", "")
        trainee = request.args.get("trainee", "").strip()
        mode = request.args.get("mode", "practice")
        known = personas()
        problems = []
        if persona_id not in known:
            problems.append(f"There is no customer called '{persona_id}'. Pick one on the home page.")
        if not trainee:
            problems.append("Enter your name on the home page before starting.")
        if mode not in MODES:
            problems.append(f"Mode must be practice or assessment, not '{mode}'.")
        if problems:
            return response.html(templates.get_template("error.html").render(problems=problems),
                                 status=400)
        return page("chat.html", sender_id=sender_id, persona=persona_card(known[persona_id]),
                    trainee=trainee, mode=mode, rasa_url=rasa_url)

    @app.get("/scorecard/<sender_id>")
    async def scorecard(request: Request, sender_id: str) -> response.HTTPResponse:
        report = report_or_404(sender_id)
        return page("scorecard.html", report=report, events=events_by_turn(report["scorecard"]))

    @app.get("/api/health")
    async def health(request: Request) -> response.HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/api/personas")
    async def api_personas(request: Request) -> response.HTTPResponse:
        return response.json([persona_card(p) for _, p in sorted(personas().items())])

    @app.get("/api/sessions")
    async def api_sessions(request: Request) -> response.HTTPResponse:
        trainee = request.args.get("trainee")
        try:
            limit = int(request.args.get("limit", "100"))
        except ValueError:
            return response.json({"error": "limit must be a whole number"}, status=400)
        if not 1 <= limit <= 1000:
            return response.json({"error": "limit must be between 1 and 1000"}, status=400)
        query = select(storage.TrainingSession).order_by(storage.TrainingSession.id.desc()).limit(limit)
        if trainee:
            query = query.join(storage.Trainee).where(storage.Trainee.name == trainee)
        with Session(engine, future=True) as db:
            rows = []
            for session in db.execute(query).scalars():
                report = storage.session_report(session)
                card = report.pop("scorecard")
                report.pop("turns")
                rows.append({**report, "overall": card["overall"] if card else None,
                             "passed": card["passed"] if card else None})
        return response.json(rows)

    @app.get("/api/sessions/<sender_id>")
    async def api_session(request: Request, sender_id: str) -> response.HTTPResponse:
        return response.json(report_or_404(sender_id))

    @app.exception(NotFound)
    async def not_found(request: Request, error: NotFound) -> response.HTTPResponse:
        if request.path.startswith("/api/"):
            return response.json({"error": str(error)}, status=404)
        return response.html(templates.get_template("error.html").render(problems=[str(error)]),
                             status=404)

    return app
