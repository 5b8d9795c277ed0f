"""The web app: pages for trainees and trainers and a JSON API over the session log (Sanic, Jinja2).

`create_app(settings, engine, catalogue)` builds it; `app.ctx` holds what the handlers share.
Reads the same database as the action server; the chat itself goes from the browser straight to
the Rasa server's socket.io channel, with a chat token this app issues after sign-in. Every script
and style comes from this project or from npm packages installed by the setup (served from
node_modules), never from another site, so the Content-Security-Policy allows only this origin.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic, response
from sanic.exceptions import NotFound, SanicException
from sanic.log import error_logger
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from extramile import store
from extramile.inbound import allowed_origins
from extramile.personas import PersonaCatalogue
from extramile.ratelimit import RateLimit
from extramile.settings import PROJECT_ROOT, Settings, load_settings
from web.api import api
from web.auth import identify
from web.pages import pages
from web.signin import signin
from web.trainer import trainer

HERE = Path(__file__).resolve().parent
VENDOR = {  # browser files from npm packages
    "socket.io.min.js": PROJECT_ROOT / "node_modules/socket.io-client/dist/socket.io.min.js",
    "chart.umd.min.js": PROJECT_ROOT / "node_modules/chart.js/dist/chart.umd.min.js",
}
STATIC = {path.name: path for path in (HERE / "static").iterdir() if path.is_file()}
MAX_BODY_BYTES = 64 * 1024  # forms and small JSON bodies only
DATABASE_DOWN = "The database is unavailable right now. Nothing was changed: try again in a minute."


def _content_security_policy(settings: Settings) -> str:
    rasa = allowed_origins(settings.rasa_public_url)
    sockets = [o.replace("http", "ws", 1) for o in rasa]  # http→ws, https→wss
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {' '.join(rasa + sockets)}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    catalogue: PersonaCatalogue | None = None,
    name: str = "extra_mile_web",
) -> Sanic:
    settings = settings or load_settings()
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.ctx.settings = settings
    app.ctx.engine = engine or store.create_db_engine(settings.database_url)
    app.ctx.catalogue = catalogue or PersonaCatalogue(settings.personas_dir)
    app.ctx.origins = frozenset(allowed_origins(settings.web_public_url))
    app.ctx.request_limit = RateLimit(settings.requests_per_minute)
    app.ctx.login_limit = RateLimit(settings.login_attempts * 4)  # per address, on top of the lock-out
    app.ctx.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    security_headers = {
        "Content-Security-Policy": _content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    app.register_middleware(identify, "request")

    @app.middleware("response")
    async def headers(request: Request, reply: response.HTTPResponse) -> None:
        reply.headers.update(security_headers)
        if not request.path.startswith(("/static/", "/vendor/")):
            reply.headers["Cache-Control"] = "no-store"  # pages and answers hold trainees' words

    app.blueprint(signin)
    app.blueprint(pages)
    app.blueprint(trainer)
    app.blueprint(api)

    @app.get("/static/<name>")
    async def static(request: Request, name: str) -> response.HTTPResponse:
        if name not in STATIC:
            raise NotFound(f"No static file '{name}'.")
        return await response.file(STATIC[name])

    @app.get("/vendor/<name>")
    async def vendor(request: Request, name: str) -> response.HTTPResponse:
        if name not in VENDOR:
            raise NotFound(f"No vendor file '{name}'.")
        return await response.file(VENDOR[name])

    def error_reply(request: Request, status: int, message: str) -> response.HTTPResponse:
        if request.path.startswith("/api/"):
            return response.json({"error": message}, status=status)
        viewer = getattr(request.ctx, "viewer", None)
        page = app.ctx.templates.get_template("error.html").render(problems=[message], viewer=viewer)
        return response.html(page, status=status)

    @app.exception(SanicException)
    async def refused(request: Request, error: SanicException) -> response.HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        message = str(error) if status < 500 else "The server could not answer. Try again in a minute."
        return error_reply(request, status, message)

    @app.exception(SQLAlchemyError)
    async def database_down(request: Request, error: SQLAlchemyError) -> response.HTTPResponse:
        return error_reply(request, 503, DATABASE_DOWN)

    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> response.HTTPResponse:
        error_logger.exception("Failed %s %s", request.method, request.path[:200], exc_info=error)
        return error_reply(request, 500, "The server could not answer. Try again in a minute.")

    return app
