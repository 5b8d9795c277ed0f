"""The web app's pages and API for signed-in trainees and trainers: every route, happy and not."""

import time
import uuid

from sanic import Sanic

from extramile import chat_tokens, store
from extramile.personas import PersonaCatalogue
from web.app import create_app

from .conftest import PASSWORD, SECRET, Browser


def test_health_says_which_part_is_down(visitor):
    # Only the database is there: no Rasa server and no action server run in this test.
    reply = visitor.get("/api/health")
    assert reply.status_code == 503
    health = reply.json()
    assert health["status"] == "unavailable" and health["database"] == "ok"
    assert health["rasa"].startswith("unreachable") and health["action_server"].startswith("unreachable")


def test_personas_for_a_signed_in_trainee(as_user):
    personas = as_user("ana").get("/api/personas").json()
    assert len(personas) == 8
    assert {p["temperament"] for p in personas} == {"aggressive", "expressive", "passive", "analytical"}
    assert set(personas[0]) == {"id", "name", "temperament", "difficulty", "title"}


def test_a_trainee_lists_and_reads_only_their_own_sessions(as_user):
    ana = as_user("ana")
    assert [s["sender_id"] for s in ana.get("/api/sessions").json()] == ["s-ana"]
    # Asking for someone else's by name still gives only one's own.
    assert [s["sender_id"] for s in ana.get("/api/sessions?trainee=bo").json()] == ["s-ana"]
    for path in ("/api/sessions/s-bo", "/api/sessions/s-bo/chat"):
        refused = ana.get(path)
        assert refused.status_code == 404 and "s-bo" in refused.json()["error"]
    assert ana.get("/scorecard/s-bo").status_code == 404
    assert ana.get("/scorecard/s-ana").status_code == 200


def test_trainers_see_every_session(as_user):
    tess = as_user("tess")
    assert [s["sender_id"] for s in tess.get("/api/sessions").json()] == ["s-bo", "s-ana"]
    [bo] = tess.get("/api/sessions?trainee=bo&limit=5").json()
    assert bo["trainee"] == "bo" and bo["mode"] == "assessment" and bo["overall"] is None
    assert tess.get("/api/sessions/s-ana").json()["persona"]["id"] == "bill-shock-aggressive"
    for query, problem in [("limit=lots", "whole number"), ("limit=0", "between 1 and 1000")]:
        reply = tess.get(f"/api/sessions?{query}")
        assert reply.status_code == 400 and problem in reply.json()["error"]


def test_session_report_and_chat_history(as_user):
    ana = as_user("ana")
    report = ana.get("/api/sessions/s-ana").json()
    assert [m["speaker"] for m in report["messages"]][:3] == ["customer", "customer", "agent"]
    assert report["scorecard"]["skills"]["apologies"]["events"]
    before = time.time()
    history = ana.get("/api/sessions/s-ana/chat").json()
    assert history["server_time"] >= before and history["mood"] is not None
    assert all(isinstance(m["at"], float) for m in history["messages"])
    missing = ana.get("/api/sessions/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["error"]


def test_signed_out_visitors_are_sent_to_sign_in(visitor):
    for path in ("/", "/scorecard/s-ana", "/chat/x", "/trainer"):
        reply = visitor.get(path, follow_redirects=False)
        assert reply.status_code == 302 and reply.headers["location"].startswith("/login?next=")
    for path in ("/api/personas", "/api/sessions", "/api/sessions/s-ana"):
        reply = visitor.get(path)
        assert reply.status_code == 401 and "/api/login" in reply.json()["error"]
    assert visitor.get("/login").status_code == 200


def test_sign_in_cookie_and_sign_out(visitor):
    assert visitor.sign_in("ana", "wrong password!").status_code == 401
    assert visitor.sign_in("nobody-here").json()["error"] == "Wrong user name or password."
    reply = visitor.sign_in("ana")
    cookie = reply.headers["set-cookie"].lower()
    assert "em_login=" in cookie and "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert visitor.get("/api/sessions").status_code == 200
    refused = visitor.post("/api/logout", headers={"X-CSRF-Token": "forged"})
    assert refused.status_code == 403 and "security token" in refused.json()["error"]
    assert visitor.post("/api/logout").status_code == 200
    assert visitor.get("/api/sessions").status_code == 401


def test_the_login_form_and_its_csrf_cookie(visitor):
    form = visitor.get("/login?next=/scorecard/s-ana")
    token = visitor.cookies.get("em_csrf")
    assert token and f'value="{token}"' in form.text
    fields = {"username": "ana", "password": "correct horse battery", "next": "/scorecard/s-ana"}
    forged = visitor.request("POST", "/login", data={**fields, "csrf_token": "forged"})
    assert forged.status_code == 403
    done = visitor.request("POST", "/login", data={**fields, "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/scorecard/s-ana"
    # Never an open redirect to another site.
    other = visitor.request("POST", "/login", data={**fields, "csrf_token": token, "next": "//evil.example"})
    assert other.status_code == 303 and other.headers["location"] == "/"


def test_repeated_failures_lock_the_account(visitor, web_settings):
    for _ in range(web_settings.login_attempts):
        assert visitor.sign_in("bo", "not the password").status_code == 401
    locked = visitor.sign_in("bo")  # the right password, too late
    assert locked.status_code == 401 and "locked" in locked.json()["error"]


def test_chat_tokens_bind_the_trainee_to_their_conversation(as_user):
    ana = as_user("ana")
    made = ana.post("/api/conversations", json={"persona": "lost-parcel-expressive", "mode": "assessment"})
    assert made.status_code == 201
    claims = chat_tokens.verify(made.json()["token"], SECRET, made.json()["conversation_id"])
    assert (claims.trainee, claims.persona, claims.mode) == ("ana", "lost-parcel-expressive", "assessment")
    # A logged session's token takes persona and mode from the log, whatever is asked.
    again = ana.post(
        "/api/chat-token", json={"conversation_id": "s-ana", "persona": "x", "mode": "assessment"}
    )
    assert (again.json()["persona"], again.json()["mode"]) == ("bill-shock-aggressive", "practice")
    # Nobody gets a token for another trainee's conversation, started or not.
    assert ana.post("/api/chat-token", json={"conversation_id": "s-bo"}).status_code == 404
    bo = as_user("bo")
    taken = bo.post("/api/chat-token", json={"conversation_id": made.json()["conversation_id"]})
    assert taken.status_code == 404


def test_changes_need_the_csrf_token_and_the_own_origin(as_user):
    ana = as_user("ana")
    body = {"persona": "lost-parcel-expressive"}
    assert ana.post("/api/conversations", json=body, headers={"X-CSRF-Token": ""}).status_code == 403
    cross = ana.post("/api/conversations", json=body, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and "another site" in cross.json()["error"]


def test_malformed_requests_get_a_4xx_with_a_reason(as_user):
    ana = as_user("ana")
    bodies = [
        {"content": b"{not json"},
        {"content": b"[1, 2, 3]"},
        {"content": b'"hello"'},
        {"content": b""},
        {"json": {"persona": 42}},
        {"json": {"persona": ["bill-shock-aggressive"]}},
        {"json": {"persona": "nobody", "mode": "exam"}},
        {"json": {"persona": "bill-shock-aggressive", "mode": None}},
        {"json": {"conversation_id": "../../etc/passwd"}},
        {"json": {"conversation_id": {"$ne": None}}},
        {"json": {"conversation_id": "x" * 100_000}},
    ]
    for path in ("/api/conversations", "/api/chat-token"):
        for body in bodies:
            reply = ana.post(path, headers={"Content-Type": "application/json"}, **body)
            assert 400 <= reply.status_code < 500, (path, body, reply.status_code)
            assert reply.json()["error"], (path, body)
    # (The 64 KB body limit itself is Sanic's HTTP server's: tests/e2e checks its 413.)
    huge = ana.post("/api/conversations", json={"persona": "x" * 200_000})
    assert huge.status_code == 400 and "no customer called" in huge.json()["error"]
    assert ana.get("/api/sessions/" + "x" * 5000).status_code == 404
    assert ana.get("/api/nothing-here").status_code == 404


def test_pages_for_a_trainee(as_user):
    ana = as_user("ana")
    home = ana.get("/")
    assert home.status_code == 200 and home.text.count('class="card"') == 8
    assert f'name="csrf_token" value="{ana.csrf}"' in home.text
    started = ana.request(
        "POST",
        "/chat",
        data={"persona": "bill-shock-aggressive", "mode": "practice", "csrf_token": ana.csrf},
        follow_redirects=False,
    )
    assert started.status_code == 303
    chat = ana.get(started.headers["location"])
    conversation = started.headers["location"].split("/chat/")[1].split("?")[0]
    assert chat.status_code == 200 and f'data-sender="{conversation}"' in chat.text
    assert ana.get("/chat/someone-elses-id?persona=bill-shock-aggressive").status_code == 404
    assert ana.get("/chat/s-bo").status_code == 404
    bad = ana.get(f"/chat/{conversation}?persona=nobody&mode=exam")
    assert bad.status_code == 400 and "no customer called" in bad.text and "exam" in bad.text
    card = ana.get("/scorecard/s-ana")
    assert card.status_code == 200 and 'id="overall"' in card.text
    assert 'class="mood-change"' in card.text and "apologize (+4)" in card.text  # practice mode
    assert ana.get("/vendor/nope.js").status_code == 404


def test_security_headers_and_static_files(as_user, visitor):
    for reply in (as_user("ana").get("/"), visitor.get("/api/health"), visitor.get("/login")):
        headers = reply.headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    assert visitor.get("/static/app.css").status_code == 200
    for path in ("/static/", "/static/..%2f..%2f.env", "/static/nope.css", "/nothing"):
        assert visitor.get(path).status_code == 404, path


def test_trainer_page_accounts_and_persona_problems(as_user):
    assert as_user("ana").get("/trainer").status_code == 403
    tess = as_user("tess")
    page = tess.get("/trainer")
    assert page.status_code == 200 and "Every persona file loads." in page.text
    assert '<option value="admin">' not in page.text  # trainers make trainees only

    def create(browser, username, role="trainee", password=PASSWORD):
        fields = {"username": username, "password": password, "role": role, "csrf_token": browser.csrf}
        return browser.request("POST", "/trainer/accounts", data=fields)

    assert create(tess, "cara").status_code == 201
    assert as_user("cara").get("/api/sessions").json() == []
    assert create(tess, "boss", role="admin").status_code == 400
    assert "taken" in create(tess, "cara").text
    assert "10 to 1000 characters" in create(tess, "dan", password="short").text
    assert create(as_user("adam"), "tina", role="trainer").status_code == 201


def test_database_down_is_a_503_that_says_so(web_settings, monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)
    broken = store.create_db_engine("sqlite:////no-such-folder/extramile.db")
    catalogue = PersonaCatalogue(web_settings.personas_dir)
    visitor = Browser(create_app(web_settings, broken, catalogue, f"t{uuid.uuid4().hex[:8]}"))
    signed_in = {"Cookie": "em_login=a-login-token"}  # finding out who it is needs the database
    api = visitor.get("/api/sessions", headers=signed_in)
    assert api.status_code == 503 and "database is unavailable" in api.json()["error"]
    page = visitor.get("/", headers=signed_in)
    assert page.status_code == 503 and "database is unavailable" in page.text
    health = visitor.get("/api/health").json()
    assert health["status"] == "unavailable" and health["database"].startswith("unreachable")


def test_a_bad_persona_file_is_listed_for_trainers_and_hides_only_itself(
    engine, web_settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(Sanic, "test_mode", True)
    folder = tmp_path / "personas"
    folder.mkdir()
    for good in sorted(web_settings.personas_dir.glob("*.yml"))[:2]:
        (folder / good.name).write_bytes(good.read_bytes())
    (folder / "broken.yml").write_bytes(b"id: broken\nname: Br\xa3ken\n")
    app = create_app(web_settings, engine, PersonaCatalogue(folder), f"t{uuid.uuid4().hex[:8]}")
    from .conftest import make_users

    make_users(engine, ("tina", "trainer"), ("tom", "trainee"))
    trainer, trainee = Browser(app), Browser(app)
    trainer.sign_in("tina")
    trainee.sign_in("tom")
    page = trainer.get("/trainer").text
    assert "broken.yml:2" in page and "UTF-8" in page
    assert len(trainee.get("/api/personas").json()) == 2


def test_sign_in_refuses_what_is_not_a_json_object_of_two_strings(visitor):
    json_type = {"Content-Type": "application/json"}
    for body in (b"{bad", b"[]", b'"ana"', b"", b'{"username": 1, "password": 2}', b'{"username": "ana"}'):
        reply = visitor.request("POST", "/api/login", content=body, headers=json_type)
        assert reply.status_code in (400, 401) and reply.json()["error"], body
    form = visitor.request("POST", "/api/login", data={"username": "ana", "password": "x"})
    assert form.status_code == 400 and "application/json" in form.json()["error"]


def test_each_user_has_a_request_limit(engine, web_settings, monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)
    tight = web_settings.copy(update={"requests_per_minute": 3})
    app = create_app(tight, engine, PersonaCatalogue(tight.personas_dir), f"t{uuid.uuid4().hex[:8]}")
    from .conftest import make_users

    make_users(engine, ("rita", "trainee"), ("rob", "trainee"))
    rita, rob = Browser(app), Browser(app)
    rita.sign_in("rita")
    rob.sign_in("rob")
    assert [rita.get("/api/sessions").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "wait" in rita.get("/api/sessions").json()["error"]
    assert rob.get("/api/sessions").status_code == 200  # one user's flood is not another's problem
