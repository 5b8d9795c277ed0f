"""The trainers' page: accounts (trainers make trainees, admins make anyone), personas that do not
load and why, and the latest sessions of every trainee."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sanic import Blueprint, Request, response
from sqlalchemy.orm import Session

from extramile import accounts
from extramile.store import reports
from web.auth import Viewer, signed_in
from web.views import in_db, render

trainer = Blueprint("trainer")


def _overview(db: Session) -> dict[str, Any]:
    return {
        "users": [
            {
                "username": u.username,
                "role": u.role,
                "created_by": u.created_by,
                "locked": bool(u.locked_until and u.locked_until > time.time()),
            }
            for u in accounts.users(db)
        ],
        "sessions": reports.session_summaries(db, None, 50),
    }


async def _page(request: Request, status: int = 200, **extra: Any) -> response.HTTPResponse:
    overview = await in_db(request, _overview)
    problems = await asyncio.to_thread(request.app.ctx.catalogue.problems)
    viewer: Viewer = request.ctx.viewer
    roles = accounts.ROLES if viewer.role == "admin" else ("trainee",)
    return render(request, "trainer.html", status=status, problems=problems, roles=roles, **overview, **extra)


@trainer.get("/trainer")
@signed_in("trainer", "admin")
async def page(request: Request) -> response.HTTPResponse:
    return await _page(request)


def _create(db: Session, creator_name: str, username: str, password: str, role: Any) -> None:
    creator = accounts.find_user(db, creator_name)
    accounts.create_user(db, username, password, role, time.time(), created_by=creator)
    db.commit()


@trainer.post("/trainer/accounts")
@signed_in("trainer", "admin")
async def create_account(request: Request) -> response.HTTPResponse:
    form = request.form or {}
    username, password = form.get("username", "").strip(), form.get("password", "")
    role = form.get("role", "trainee")
    try:
        await in_db(request, _create, request.ctx.viewer.username, username, password, role)
    except accounts.AccountError as problem:
        return await _page(request, status=400, error=str(problem), username=username)
    return await _page(request, status=201, created=username)
