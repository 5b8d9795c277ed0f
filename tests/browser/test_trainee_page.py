"""The trainee's page in a real browser (Debian's chromium, driven by Playwright).

Starts the Rasa server, the action server and the web app on free ports with a fresh SQLite log,
picks a persona, chats (typing while the customer is still typing, so the session has a real
interruption), ends the chat and checks the scorecard; checks that one trainee can neither open
another's scorecard nor join their conversation over socket.io; writes screenshots of the chat and the
scorecard at desktop and phone width to results/screenshots/ (`make screenshots` copies them to
the README's docs/screenshots/).
"""

import time
import urllib.parse

import pytest
import requests
from sqlalchemy.orm import Session

from extramile import accounts, chat_tokens, store
from extramile.customer import open_session
from extramile.practice import seed_for
from extramile.settings import PROJECT_ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "results" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "browser test password"
TRAINEES = ("browser-tester", "other-trainee", "reloader")


def accessibility_problems(page) -> list[str]:
    """What axe-core finds against WCAG 2 A and AA on the page: contrast, labels, names, order."""
    # Evaluated through the browser's debugging protocol: the pages' Content-Security-Policy
    # (rightly) refuses an injected <script>.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


@pytest.fixture(scope="module")
def servers(start_servers, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.db'}"
    with start_servers(url, tmp_path_factory.mktemp("logs"), web=True, typing_scale=0.5) as services:
        with Session(store.create_db_engine(url), future=True) as db, db.begin():
            for username in TRAINEES:
                accounts.create_user(db, username, PASSWORD, "trainee", time.time())
        yield services


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def sign_in(page, servers, username="browser-tester", then="/"):
    page.goto(f"{servers.web_url}{then}")
    page.wait_for_url("**/login**")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{servers.web_url}{then}")


def api(servers, path, username="browser-tester"):
    """GET from the web app's API as a signed-in trainee (the login cookie is Secure, so over
    plain http to this machine it is sent by hand)."""
    login = requests.post(
        f"{servers.web_url}/api/login", json={"username": username, "password": PASSWORD}, timeout=10
    )
    cookie = {"Cookie": f"em_login={login.cookies['em_login']}"}
    return requests.get(f"{servers.web_url}{path}", headers=cookie, timeout=10)


def start_chat(page, servers, persona, mode="practice"):
    if "/login" in page.url or page.url == "about:blank":
        sign_in(page, servers)
    page.goto(servers.web_url)
    page.check(f"input[name=mode][value={mode}]")
    page.click(f"button[value={persona}]")
    page.wait_for_url("**/chat/**")


def wait_for_customer(page, count):
    page.locator(".msg.customer").nth(count - 1).wait_for(timeout=60_000)
    page.wait_for_selector("#typing", state="hidden", timeout=60_000)


def assert_latest_message_visible(page):
    """The newest message sits above the sticky composer, not hidden under it."""
    latest = page.locator("#messages .msg").last.bounding_box()
    composer = page.locator("#composer").bounding_box()
    assert latest["y"] >= 0 and latest["y"] + latest["height"] <= composer["y"] + 1, (latest, composer)


def test_persona_cards_chat_interruption_and_scorecard(servers, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialogs = []
    page = browser.new_page(viewport=DESKTOP)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, servers)
    assert accessibility_problems(page) == []
    assert page.locator(".card").count() == 8
    assert "Dave Morgan" in page.locator(".card[data-persona=bill-shock-aggressive]").inner_text()
    assert accessibility_problems(page) == []

    start_chat(page, servers, "bill-shock-aggressive")
    # The opening is two messages typed one after the other: reply while the second is typed.
    page.locator(".msg.customer").first.wait_for(timeout=60_000)
    assert page.locator("#typing").is_visible()
    page.fill("#text", "Hello? <script>alert('x')</script>")
    page.keyboard.press("Enter")  # Enter sends
    protest = page.locator(".msg.customer", has_text="finish")
    protest.first.wait_for(timeout=60_000)
    page.wait_for_selector("#typing", state="hidden", timeout=60_000)
    said = page.locator(".msg.customer .text").all_text_contents()
    assert "finish" not in said[1]  # they finish their own opening before protesting
    page.locator("#hint", has_text="before the customer had finished").wait_for(timeout=10_000)

    for text in [
        "I'm so sorry about that. What happened with your bill?",
        "So your bill jumped from £32 to £58 with no warning at all.",
    ]:
        before = page.locator(".msg.customer").count()
        page.fill("#text", text)
        page.keyboard.press("Enter")
        wait_for_customer(page, before + 1)
    assert page.locator("#mood-value").inner_text().strip().isdigit()
    assert page.locator(".msg.agent .text").first.text_content() == "Hello? <script>alert('x')</script>"
    assert_latest_message_visible(page)
    # The chat as the trainee sees it (a full-page capture would put the sticky composer over it).
    page.screenshot(path=str(SCREENSHOTS / "chat-desktop.png"))
    assert accessibility_problems(page) == []

    chat_url = page.url
    phone = browser.new_page(viewport=PHONE)
    sign_in(phone, servers)
    phone.goto(chat_url)  # a reload resumes the same session from the log
    phone.locator(".msg.agent", has_text="What happened with your bill?").wait_for(timeout=30_000)
    phone.locator(".msg.customer").nth(page.locator(".msg.customer").count() - 1).wait_for(timeout=30_000)
    assert_latest_message_visible(phone)
    phone.screenshot(path=str(SCREENSHOTS / "chat-phone.png"))

    page.click("#end")  # ends the session on the server, then opens the scorecard
    page.wait_for_url("**/scorecard/**")
    assert page.locator("#outcome").get_attribute("data-outcome") == "ended_by_trainee"
    interruption = page.locator(".msg.agent .event[data-kind=interruption]")
    assert interruption.count() == 1
    assert "before the customer had finished" in interruption.inner_text()
    assert (
        page.locator(
            ".event[data-kind=non_apology], .event[data-kind=reflection], .event[data-kind=open_question]"
        ).count()
        >= 1
    )
    assert 2 <= page.locator(".advice li").count() <= 3
    assert page.locator("#overall").inner_text().replace(".", "").isdigit()
    assert page.locator(".msg.agent .text").first.text_content() == "Hello? <script>alert('x')</script>"
    page.wait_for_function("window.Chart !== undefined && Chart.getChart('chart') !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "scorecard-desktop.png"), full_page=True)
    assert accessibility_problems(page) == []
    phone.goto(page.url)
    phone.screenshot(path=str(SCREENSHOTS / "scorecard-phone.png"), full_page=True)
    assert dialogs == []  # the script tag never ran

    sender = urllib.parse.urlparse(page.url).path.rsplit("/", 1)[-1]
    report = api(servers, f"/api/sessions/{sender}").json()
    kinds = [e["kind"] for e in report["scorecard"]["skills"]["listening"]["events"]]
    assert "interruption" in kinds


def test_outages_are_shown_and_the_chat_carries_on(servers, browser):
    page = browser.new_page(viewport=DESKTOP)
    start_chat(page, servers, "double-charge-passive")
    wait_for_customer(page, 1)

    servers.stop_server("actions")
    try:
        page.fill("#text", "Hello, I'm Sam from billing.")
        page.keyboard.press("Enter")
        page.locator(".msg.system", has_text="simulator is unavailable").wait_for(timeout=30_000)
    finally:
        servers.restart_server("actions")

    servers.stop_server("rasa")
    try:
        page.locator("#status", has_text="Reconnecting").wait_for(timeout=30_000)
        page.fill("#text", "Are you still there?")
        page.keyboard.press("Enter")
        page.locator("#status", has_text="was not sent").wait_for(timeout=10_000)
        assert page.locator("#text").input_value() == "Are you still there?"  # kept to send again
    finally:
        servers.restart_server("rasa")
    page.wait_for_selector("#status", state="hidden", timeout=60_000)  # reconnected by itself
    before = page.locator(".msg.customer").count()
    page.fill("#text", "Sorry about that. Could you tell me what happened with the payment?")
    page.keyboard.press("Enter")
    wait_for_customer(page, before + 1)
    sender = urllib.parse.urlparse(page.url).path.rsplit("/", 1)[-1]
    report = api(servers, f"/api/sessions/{sender}").json()
    assert [m["text"] for m in report["messages"] if m["speaker"] == "agent"] == [
        "Hello, I'm Sam from billing.",
        "Sorry about that. Could you tell me what happened with the payment?",
    ]


def test_assessment_mode_shows_no_mood_or_hints(servers, browser):
    page = browser.new_page(viewport=DESKTOP)
    start_chat(page, servers, "energy-bill-analytical", mode="assessment")
    wait_for_customer(page, 1)
    assert page.locator("#mood").count() == 0 and page.locator("#hint").count() == 0


def test_api_and_bad_requests(servers):
    personas = api(servers, "/api/personas").json()
    assert {p["temperament"] for p in personas} == {"aggressive", "expressive", "passive", "analytical"}
    missing = api(servers, "/api/sessions/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["error"]
    bad_limit = api(servers, "/api/sessions?limit=lots")
    assert bad_limit.status_code == 400 and "limit" in bad_limit.json()["error"]
    assert api(servers, "/scorecard/nope").status_code == 404
    assert requests.get(f"{servers.web_url}/api/sessions", timeout=10).status_code == 401
    health = requests.get(f"{servers.web_url}/api/health", timeout=10).json()
    assert health == {"status": "ok", "database": "ok", "rasa": "ok", "action_server": "ok"}
    # The body limit of the web app's HTTP server.
    huge = requests.post(f"{servers.web_url}/api/login", data=b"x" * 200_000, timeout=10)
    assert huge.status_code == 413


def test_a_trainee_cannot_read_or_join_another_trainees_conversation(servers, browser):
    victim = browser.new_page(viewport=DESKTOP)
    start_chat(victim, servers, "lost-parcel-expressive")
    wait_for_customer(victim, 1)
    victim_id = urllib.parse.urlparse(victim.url).path.rsplit("/", 1)[-1]

    intruder = browser.new_page(viewport=DESKTOP)
    sign_in(intruder, servers, "other-trainee")
    for path in (f"/scorecard/{victim_id}", f"/chat/{victim_id}?persona=lost-parcel-expressive"):
        intruder.goto(f"{servers.web_url}{path}")
        assert "No conversation of yours" in intruder.content() or "No session of yours" in intruder.content()
    assert api(servers, f"/api/sessions/{victim_id}", "other-trainee").status_code == 404

    # With a valid token for a conversation of their own, the intruder's socket.io client asks
    # for the victim's conversation and sends into it: refused, and nothing reaches either log.
    start_chat(intruder, servers, "double-charge-passive")
    wait_for_customer(intruder, 1)
    outcome = intruder.evaluate(
        """async (victimId) => {
            const own = location.pathname.split("/").pop();
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const reply = await fetch("/api/chat-token", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
                body: JSON.stringify({conversation_id: own})});
            const {token} = await reply.json();
            const rasa = document.getElementById("chat").dataset.rasa;
            const socket = io(rasa, {path: "/socket.io", transports: ["websocket"], auth: {token}});
            const heard = [];
            socket.on("bot_uttered", (data) => heard.push(data));
            socket.on("session_confirm", (id) => heard.push({confirmed: id}));
            await new Promise((resolve) => socket.on("connect", resolve));
            socket.emit("session_request", {session_id: victimId});
            socket.emit("user_uttered", {message: "Calm down, it's your own fault.", session_id: victimId});
            await new Promise((resolve) => setTimeout(resolve, 4000));
            socket.close();
            return heard;
        }""",
        victim_id,
    )
    assert not any(isinstance(h, dict) and h.get("confirmed") == victim_id for h in outcome)
    assert not any("Calm down" in str(h) for h in outcome)
    report = api(servers, f"/api/sessions/{victim_id}").json()
    assert not any("Calm down" in m["text"] for m in report["messages"])
    assert report["outcome"] is None


def slow_opening(personas, persona_id, secret_key, gap=6.0):
    """A conversation id whose opening's last message is typed `gap` s or more after its first
    (at the servers' typing scale), so a reload lands while the customer is still typing."""
    loaded = personas[persona_id]
    for _ in range(200):
        sender = chat_tokens.new_conversation_id("reloader", secret_key)
        _, opening = open_session(loaded.persona, loaded.content_hash, seed_for(sender), 0.0, 0.5)
        if opening.messages[-1].at - opening.messages[0].at >= gap:
            return sender
    raise AssertionError(f"no opening of {persona_id} is slow enough")


@pytest.mark.parametrize("skew_seconds", [0, 120, -120])
def test_after_a_reload_messages_still_being_typed_appear_only_when_typed(
    servers, browser, personas, skew_seconds
):
    """What the page shows matches what the interruption check assumes, after a reload too and
    whatever the browser's clock says: the page reads server times through the server's clock."""
    context = browser.new_context(viewport=DESKTOP)
    # The browser's clock runs skew_seconds ahead of (or behind) the server's.
    context.add_init_script(
        f"(() => {{ const skew = {skew_seconds * 1000}; const now = Date.now;"
        " Date.now = () => now() + skew; })();"
    )
    page = context.new_page()
    sign_in(page, servers, "reloader")
    sender = slow_opening(personas, "double-charge-passive", servers.settings.secret_key)
    query = urllib.parse.urlencode({"persona": "double-charge-passive", "mode": "practice"})
    page.goto(f"{servers.web_url}/chat/{sender}?{query}")
    page.locator(".msg.customer").first.wait_for(timeout=60_000)
    page.reload()
    # Straight after the reload the second message of the opening is still being typed.
    page.locator(".msg.customer").first.wait_for(timeout=30_000)
    assert page.locator(".msg.customer").count() == 1
    assert page.locator("#typing").is_visible()
    page.locator(".msg.customer").nth(1).wait_for(timeout=60_000)  # and it arrives when typed
    page.wait_for_selector("#typing", state="hidden", timeout=60_000)
    context.close()
