"""Who is asking: the signed-in viewer of each request, the guards on routes, CSRF and rate limits.

A login cookie (random token, HTTP-only, SameSite=Lax, Secure unless SECURE_COOKIES=false) names
the viewer. Every request that changes something must carry the login's CSRF token (form field
`csrf_token` or header `X-CSRF-Token`) and, when the browser says where it comes from, come from
the web app's own origin. Before sign-in the login form uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from sanic import Request, response
from sanic.exceptions import Forbidden, SanicException

from extramile import accounts
from web.views import in_db

LOGIN_COOKIE = "em_login"
FORM_COOKIE = "em_csrf"  # the login form's double-submit token
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Handler = Callable[..., Coroutine[Any, Any, response.HTTPResponse]]


class TooManyRequests(SanicException):
    status_code = 429
    quiet = True


class SignInRequired(SanicException):
    status_code = 401
    quiet = True


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the request handlers see it (no database object escapes)."""

    username: str
    role: accounts.Role
    csrf_token: str

    @property
    def is_staff(self) -> bool:
        return self.role in accounts.STAFF


def _viewer(db: Any, token: str, now: float) -> Viewer | None:
    login = accounts.find_login(db, token, now)
    if login is None:
        return None
    db.commit()  # an expired login found on the way was removed
    return Viewer(login.user.username, login.user.role, login.csrf_token)


async def identify(request: Request) -> None:
    """Request middleware: set `request.ctx.viewer` from the login cookie (None: signed out)."""
    request.ctx.viewer = None
    token = request.cookies.get(LOGIN_COOKIE)
    if token and len(token) < 200:
        request.ctx.viewer = await in_db(request, _viewer, token, time.time())


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    origin = request.headers.get("origin")
    return origin is None or origin in request.app.ctx.origins


def check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get("x-csrf-token") or (request.form.get("csrf_token") if request.form else None)
    if not same_origin(request):
        raise Forbidden("This request came from another site and was refused.")
    if not sent or not hmac.compare_digest(str(sent), expected):
        raise Forbidden(
            "The form has expired or its security token is missing: reload the page and try again."
        )


def check_rate(request: Request, key: str) -> None:
    limit = request.app.ctx.request_limit
    now = time.monotonic()
    if not limit.allow(key, now):
        wait = max(1, round(limit.retry_after(key, now)))
        raise TooManyRequests(f"Too many requests: wait {wait} seconds and try again.")


def signed_in(*roles: accounts.Role) -> Callable[[Handler], Handler]:
    """Route guard: a signed-in viewer (with one of `roles`, if given); CSRF on changes; rate limit."""

    def guard(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> response.HTTPResponse:
            viewer: Viewer | None = request.ctx.viewer
            if viewer is None:
                if request.path.startswith("/api/"):
                    raise SignInRequired("Sign in first: POST /api/login with your user name and password.")
                return response.redirect(f"/login?next={quote(request.path)}")
            if roles and viewer.role not in roles:
                raise Forbidden("This page is for trainers and admins.")
            check_rate(request, f"user:{viewer.username}")
            if request.method not in SAFE_METHODS:
                check_csrf(request, viewer.csrf_token)
            return await handler(request, *args, **kwargs)

        return guarded

    return guard


def _set_cookie(
    request: Request, reply: response.HTTPResponse, name: str, value: str, samesite: str, max_age: int | None
) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = samesite
    cookie["secure"] = request.app.ctx.settings.secure_cookies
    cookie["path"] = "/"
    if max_age is not None:
        cookie["max-age"] = max_age


def set_login_cookie(request: Request, reply: response.HTTPResponse, token: str) -> None:
    # Lax, not Strict: a link to a scorecard from a trainer's e-mail opens signed in.
    _set_cookie(request, reply, LOGIN_COOKIE, token, "Lax", int(accounts.LOGIN_HOURS * 3600))


def clear_login_cookie(request: Request, reply: response.HTTPResponse) -> None:
    _set_cookie(request, reply, LOGIN_COOKIE, "", "Lax", 0)


def form_token(request: Request) -> str:
    """The login form's CSRF token: the one in its cookie, or a new one to set."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)


def set_form_cookie(request: Request, reply: response.HTTPResponse, token: str) -> None:
    _set_cookie(request, reply, FORM_COOKIE, token, "Strict", None)
