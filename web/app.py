"""The web app: pages for trainees and a JSON API over the session log (Sanic, Jinja2).

`create_app(settings, engine, catalogue)` builds it; `app.ctx` holds what the handlers share.
Reads the same database as the action server; the chat itself goes from the browser straight to
the Rasa server's socket.io channel. Every script and style comes from this project or from npm
packages installed by the setup (served from node_modules), never from another site.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic, response
from sanic.exceptions import NotFound
from sqlalchemy.engine import Engine

from extramile import store
from extramile.personas import PersonaCatalogue
from extramile.settings import PROJECT_ROOT, Settings, load_settings
from web.api import api
from web.pages import pages

HERE = Path(__file__).resolve().parent
VENDOR = {  # browser files from npm packages
    "socket.io.min.js": PROJECT_ROOT / "node_modules/socket.io-client/dist/socket.io.min.js",
    "chart.umd.min.js": PROJECT_ROOT / "node_modules/chart.js/dist/chart.umd.min.js",
}


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    catalogue: PersonaCatalogue | None = None,
    name: str = "extra_mile_web",
) -> Sanic:
    settings = settings or load_settings()
    app = Sanic(name)
    app.ctx.settings = settings
    app.ctx.engine = engine or store.create_db_engine(settings.database_url)
    app.ctx.catalogue = catalogue or PersonaCatalogue(settings.personas_dir)
    app.ctx.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    app.static("/static", str(HERE / "static"))
    app.blueprint(pages)
    app.blueprint(api)

    @app.get("/vendor/<name>")
    async def vendor(request: Request, name: str) -> response.HTTPResponse:
        if name not in VENDOR:
            raise NotFound(f"No vendor file '{name}'.")
        return await response.file(VENDOR[name])

    @app.exception(NotFound)
    async def not_found(request: Request, error: NotFound) -> response.HTTPResponse:
        if request.path.startswith("/api/"):
            return response.json({"error": str(error)}, status=404)
        page = app.ctx.templates.get_template("error.html").render(problems=[str(error)])
        return response.html(page, status=404)

    return app
