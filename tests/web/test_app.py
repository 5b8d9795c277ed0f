"""The web app in-process (Sanic's ASGI interface through httpx): every route, happy and not.

A real session is played through the practice-session service into a fresh SQLite log first, so
the pages and the API read what the action server would have written.
"""

import asyncio
import time
import uuid

import httpx
import pytest
from sanic import Sanic

from extramile import store
from extramile.customer import DetectedAct
from extramile.personas import PersonaCatalogue
from extramile.practice import ChatMessage, PracticeService
from web.app import create_app

META = {"persona": "bill-shock-aggressive", "trainee": "Ana", "mode": "practice", "seed": 3}


def play(service, sender, meta, lines):
    state, clock = None, 1_000.0
    for text, acts in [("/start_session", ()), *lines]:
        clock = (state.turn_ends_at if state else clock) + 20
        message = ChatMessage(text, clock, tuple(DetectedAct(act=a, confidence=0.9) for a in acts))
        state = service.handle(sender, meta, message, state.dict() if state else None).state


@pytest.fixture
def app(sqlite_url, settings, scorer, monkeypatch):
    # Sanic's test mode (as sanic-testing sets it): several apps may start in one process.
    monkeypatch.setattr(Sanic, "test_mode", True)
    engine = store.create_db_engine(sqlite_url)
    catalogue = PersonaCatalogue(settings.personas_dir)
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
    play(service, "s-bo", {**META, "trainee": "Bo", "mode": "assessment"}, [])
    return create_app(settings, engine, catalogue, name=f"test_{uuid.uuid4().hex[:8]}")


def get(app, path):
    async def fetch():
        if not app.router.finalized:
            await app._startup()  # what Sanic does when an ASGI server starts it
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(fetch())


def test_health_and_personas(app):
    assert get(app, "/api/health").json() == {"status": "ok"}
    personas = get(app, "/api/personas").json()
    assert len(personas) == 8
    assert {p["temperament"] for p in personas} == {"aggressive", "expressive", "passive", "analytical"}
    assert set(personas[0]) == {"id", "name", "temperament", "difficulty", "title"}


def test_session_list_filters_and_scores(app):
    listed = get(app, "/api/sessions").json()
    assert [s["sender_id"] for s in listed] == ["s-bo", "s-ana"]
    [ana] = get(app, "/api/sessions?trainee=Ana&limit=5").json()
    assert ana["trainee"] == "Ana" and ana["mode"] == "practice"
    assert isinstance(ana["overall"], float) and isinstance(ana["passed"], bool)
    assert listed[0]["overall"] is None  # nothing sent yet: not scored
    for query, problem in [("limit=lots", "whole number"), ("limit=0", "between 1 and 1000")]:
        reply = get(app, f"/api/sessions?{query}")
        assert reply.status_code == 400 and problem in reply.json()["error"]


def test_session_report_and_chat_history(app):
    report = get(app, "/api/sessions/s-ana").json()
    assert report["persona"]["id"] == "bill-shock-aggressive"
    assert [m["speaker"] for m in report["messages"]][:3] == ["customer", "customer", "agent"]
    assert report["scorecard"]["skills"]["apologies"]["events"]
    before = time.time()
    history = get(app, "/api/sessions/s-ana/chat").json()
    assert history["server_time"] >= before and history["mood"] is not None
    assert all(isinstance(m["at"], float) for m in history["messages"])
    for path in ("/api/sessions/nope", "/api/sessions/nope/chat"):
        missing = get(app, path)
        assert missing.status_code == 404 and "nope" in missing.json()["error"]


def test_pages(app):
    home = get(app, "/")
    assert home.status_code == 200 and home.text.count('class="card"') == 8
    chat = get(app, "/chat/new-id?persona=bill-shock-aggressive&trainee=Ana&mode=practice")
    assert chat.status_code == 200 and 'data-sender="new-id"' in chat.text
    bad = get(app, "/chat/x?persona=nobody&trainee=&mode=exam")
    assert bad.status_code == 400
    assert "no customer called" in bad.text and "Enter your name" in bad.text and "exam" in bad.text
    card = get(app, "/scorecard/s-ana")
    assert card.status_code == 200 and 'id="overall"' in card.text
    assert 'class="mood-change"' in card.text and "apologize (+4)" in card.text  # practice mode
    assessment = get(app, "/scorecard/s-bo")
    assert 'id="not-scored"' in assessment.text and 'class="mood-change"' not in assessment.text
    assert get(app, "/scorecard/nope").status_code == 404
    assert get(app, "/vendor/nope.js").status_code == 404
