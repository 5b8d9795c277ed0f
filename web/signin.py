"""Signing in and out: the login page and form, and the same for programs under /api/."""

from __future__ import annotations

import time
from typing import Any

from sanic import Blueprint, Request, response
from sanic.exceptions import InvalidUsage
from sqlalchemy.orm import Session

from extramile import accounts
from web.auth import (
    LOGIN_COOKIE,
    TooManyRequests,
    Viewer,
    check_csrf,
    clear_login_cookie,
    form_token,
    same_origin,
    set_form_cookie,
    set_login_cookie,
    signed_in,
)
from web.views import in_db, json_object, render

signin = Blueprint("signin")


def _sign_in(db: Session, username: str, password: str, policy: accounts.LockoutPolicy) -> tuple[str, Viewer]:
    """Check the credentials and open a login; the failure count is kept even when refused."""
    try:
        user = accounts.authenticate(db, username, password, time.time(), policy)
    except accounts.LoginRefused:
        db.commit()
        raise
    token, login = accounts.start_login(db, user, time.time())
    db.commit()
    return token, Viewer(user.username, user.role, login.csrf_token)


def _end(db: Session, token: str) -> None:
    accounts.end_login(db, token)
    db.commit()


async def _attempt(request: Request, username: Any, password: Any) -> tuple[str, Viewer]:
    limit = request.app.ctx.login_limit
    if not limit.allow(f"ip:{request.remote_addr or request.ip}", time.monotonic()):
        raise TooManyRequests("Too many sign-in attempts from this address: wait a minute and try again.")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise accounts.LoginRefused("Enter your user name and password.")
    settings = request.app.ctx.settings
    policy = accounts.LockoutPolicy(settings.login_attempts, settings.lockout_minutes)
    return await in_db(request, _sign_in, username.strip(), password, policy)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@signin.get("/login")
async def login_page(request: Request) -> response.HTTPResponse:
    token = form_token(request)
    reply = render(request, "login.html", form_csrf=token, next=_safe_next(request.args.get("next")))
    set_form_cookie(request, reply, token)
    return reply


@signin.post("/login")
async def login_form(request: Request) -> response.HTTPResponse:
    form = request.form or {}
    expected = request.cookies.get("em_csrf", "")
    if not expected:
        raise InvalidUsage("Your browser did not send the sign-in form's cookie: allow cookies and reload.")
    check_csrf(request, expected)
    target = _safe_next(form.get("next"))
    try:
        token, _ = await _attempt(request, form.get("username"), form.get("password"))
    except accounts.LoginRefused as refused:
        reply = render(request, "login.html", status=401, form_csrf=expected, next=target, error=str(refused))
        return reply
    reply = response.redirect(target, status=303)
    set_login_cookie(request, reply, token)
    return reply


@signin.post("/logout")
@signed_in()
async def logout(request: Request) -> response.HTTPResponse:
    await in_db(request, _end, request.cookies.get(LOGIN_COOKIE, ""))
    reply = response.redirect("/login", status=303)
    clear_login_cookie(request, reply)
    return reply


@signin.post("/api/login")
async def api_login(request: Request) -> response.HTTPResponse:
    # JSON only: a page on another site cannot send it without a CORS preflight, which fails.
    if not same_origin(request) or "application/json" not in request.headers.get("content-type", ""):
        raise InvalidUsage(
            'Send JSON {"username": ..., "password": ...} with Content-Type: application/json.'
        )
    body = json_object(request)
    try:
        token, viewer = await _attempt(request, body.get("username"), body.get("password"))
    except accounts.LoginRefused as refused:
        return response.json({"error": str(refused)}, status=401)
    reply = response.json({"username": viewer.username, "role": viewer.role, "csrf_token": viewer.csrf_token})
    set_login_cookie(request, reply, token)
    return reply


@signin.post("/api/logout")
@signed_in()
async def api_logout(request: Request) -> response.HTTPResponse:
    await in_db(request, _end, request.cookies.get(LOGIN_COOKIE, ""))
    reply = response.json({"status": "signed out"})
    clear_login_cookie(request, reply)
    return reply
