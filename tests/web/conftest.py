"""The web app in-process (Sanic's ASGI interface through httpx), with accounts and a played log.

A real session is played through the practice-session service into a fresh SQLite log first, so
the pages and the API read what the action server would have written. Clients talk https so the
Secure login cookie travels, as it does in a browser.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from sanic import Sanic
from sqlalchemy.orm import Session

from extramile import accounts, store
from extramile.customer import DetectedAct
from extramile.personas import PersonaCatalogue
from extramile.practice import ChatMessage, PracticeService
from web.app import create_app

META = {"persona": "bill-shock-aggressive", "trainee": "ana", "mode": "practice", "seed": 3}
PASSWORD = "correct horse battery"
SECRET = "web-test-secret-of-at-least-32-bytes"
ORIGIN = "https://test"


def play(service, sender, meta, lines):
    state, clock = None, 1_000.0
    for text, acts in [("/start_session", ()), *lines]:
        clock = (state.turn_ends_at if state else clock) + 20
        message = ChatMessage(text, clock, tuple(DetectedAct(act=a, confidence=0.9) for a in acts))
        state = service.handle(sender, meta, message, state.dict() if state else None).state


def make_users(engine, *users: tuple[str, str]) -> None:
    with Session(engine, future=True) as db, db.begin():
        for username, role in users:
            accounts.create_user(db, username, PASSWORD, role, time.time())


@pytest.fixture
def engine(sqlite_url):
    return store.create_db_engine(sqlite_url)


@pytest.fixture
def web_settings(settings):
    return settings.copy(update={"secret_key": SECRET, "web_public_url": ORIGIN})


@pytest.fixture
def app(engine, web_settings, scorer, monkeypatch):
    # Sanic's test mode (as sanic-testing sets it): several apps may start in one process.
    monkeypatch.setattr(Sanic, "test_mode", True)
    catalogue = PersonaCatalogue(web_settings.personas_dir)
    service = PracticeService(engine, catalogue, scorer)
    play(
        service,
        "s-ana",
        META,
        [
            ("I'm so sorry. What happened with your bill?", ("apologize", "ask_open_question")),
            ("So it jumped from £32 to £58 with no warning.", ("reflect",)),
            ("Tell me what else is on the bill.", ("ask_open_question",)),
        ],
    )
    play(service, "s-bo", {**META, "trainee": "bo", "mode": "assessment"}, [])
    make_users(engine, ("ana", "trainee"), ("bo", "trainee"), ("tess", "trainer"), ("adam", "admin"))
    return create_app(web_settings, engine, catalogue, name=f"test_{uuid.uuid4().hex[:8]}")


class Browser:
    """One visitor's cookies and CSRF token across requests to the app."""

    def __init__(self, app: Sanic):
        self.app = app
        self.cookies = httpx.Cookies()
        self.csrf = ""

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            if not self.app.router.finalized:
                await self.app._startup()  # what Sanic does when an ASGI server starts it
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url=ORIGIN, cookies=self.cookies
            ) as client:
                reply = await client.request(method, path, **options)
                self.cookies = client.cookies
                return reply

        return asyncio.run(send())

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.request("GET", path, **options)

    def post(self, path: str, **options: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **options.pop("headers", {})}
        return self.request("POST", path, headers=headers, **options)

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        reply = self.request("POST", "/api/login", json={"username": username, "password": password})
        if reply.status_code == 200:
            self.csrf = reply.json()["csrf_token"]
        return reply


@pytest.fixture
def visitor(app) -> Browser:
    return Browser(app)


@pytest.fixture
def as_user(app):
    def signed_in(username: str) -> Browser:
        browser = Browser(app)
        assert browser.sign_in(username).status_code == 200
        return browser

    return signed_in
