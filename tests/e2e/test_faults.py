"""Faults mid-conversation against the real servers, then the turns are counted: none lost, none doubled.

A proxy sits between the Rasa server and the action server, so a test can lose the action's reply
after the action has logged the turn, or hold it while the Rasa server is killed. The action server
is also killed outright. Each message keeps its id when resent, as the widget and the terminal
client do, so the log can tell a resend from a new message.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter

import aiohttp
import pytest
from aiohttp import web

from channels.silence import UNAVAILABLE
from extramile.devserver import free_port

TYPING_SCALE = 0.05


class ActionProxy:
    """Forwards the Rasa server's calls to the action server; `mode` decides what Rasa gets back:
    "pass" the answer, "drop" a closed connection (after the action has run), "hold" the answer
    only after `hold_seconds`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.target = ""
        self.mode = "pass"
        self.hold_seconds = 6.0
        self.loop = asyncio.new_event_loop()
        self.ran = threading.Event()  # set once the held or dropped action has run

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def forward(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        async with (
            aiohttp.ClientSession() as http,
            http.request(
                request.method,
                self.target + request.path,
                data=body,
                headers={"Content-Type": "application/json"},
            ) as answer,
        ):
            payload, status = await answer.read(), answer.status
        if request.path == "/webhook" and self.mode != "pass":
            self.ran.set()
            if self.mode == "drop":
                assert request.transport is not None
                request.transport.close()  # the action's work is done; its answer is lost
                return web.Response(status=502)
            await asyncio.sleep(self.hold_seconds)
        return web.Response(body=payload, status=status, content_type="application/json")

    def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self.forward)

        async def serve() -> None:
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.port).start()

        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(serve(), self.loop).result(timeout=10)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture(scope="module")
def proxy():
    proxy = ActionProxy()
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def servers(start_servers, proxy, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'faults.db'}"
    services = start_servers(
        url,
        tmp_path_factory.mktemp("logs"),
        web=False,
        typing_scale=TYPING_SCALE,
        action_server_url=proxy.url,
    )
    proxy.target = services.action_url
    with services:
        yield services


def logged(servers, session_report, trainee):
    """The session's agent texts and how many customer turns followed each agent turn."""
    report = session_report(servers.settings.database_url, trainee.sender)
    agent = [m["text"] for m in report["messages"] if m["speaker"] == "agent"]
    speakers = [t["speaker"] for t in report["turns"]]
    return report, agent, speakers


def assert_each_once(agent_texts, speakers):
    assert [text for text, n in Counter(agent_texts).items() if n > 1] == []
    # Turns alternate: a customer turn never follows another (no reply logged twice).
    assert all(not (a == b == "customer") for a, b in zip(speakers, speakers[1:], strict=False))


def test_a_lost_reply_is_neither_lost_nor_doubled(servers, proxy, new_trainee, session_report):
    trainee = new_trainee(servers, "bill-shock-aggressive")
    trainee.send("/start_session")
    trainee.send("I'm so sorry about that. What happened with your bill?")
    proxy.mode = "drop"
    try:
        texts, info = trainee.send("So your bill jumped from £32 to £58 with no warning at all.")
    finally:
        proxy.mode = "pass"
    assert info.get("notices"), texts  # the trainee is told, never left in silence
    texts, info = trainee.send("Tell me more about what else has changed on your bill.")
    assert info["messages"], texts  # the customer answers the new message

    report, agent, speakers = logged(servers, session_report, trainee)
    assert agent == [
        "I'm so sorry about that. What happened with your bill?",
        "So your bill jumped from £32 to £58 with no warning at all.",
        "Tell me more about what else has changed on your bill.",
    ]
    assert_each_once(agent, speakers)
    assert speakers.count("customer") == 1 + 3  # the opening, then one reply to each message


def test_rasa_killed_mid_turn_then_the_message_resent(servers, proxy, new_trainee, session_report):
    trainee = new_trainee(servers, "double-charge-passive")
    trainee.send("/start_session")
    message, message_id = "Hello, I'm Sam from billing. What happened with the payment?", uuid.uuid4().hex
    proxy.mode, proxy.hold_seconds = "hold", 8.0
    proxy.ran.clear()
    failed: list[BaseException] = []

    def first_try() -> None:
        try:
            trainee.send(message, message_id)
        except Exception as error:  # the connection dies with the server
            failed.append(error)

    sender = threading.Thread(target=first_try)
    sender.start()
    assert proxy.ran.wait(timeout=30)  # the action has logged the turn; its answer is held
    rasa = servers.processes.pop("rasa")
    rasa.kill()
    rasa.wait(timeout=30)
    sender.join(timeout=60)
    assert failed, "the first try should have lost its answer with the server"
    proxy.mode = "pass"
    servers.restart_server("rasa")

    trainee.wait_until = 0.0
    texts, info = trainee.send(message, message_id)  # the client resends with the same id
    assert info["messages"], texts  # the reply that was lost, shown now
    trainee.send("I can see the payment went through twice. Let me fix that for you.")

    report, agent, speakers = logged(servers, session_report, trainee)
    assert agent == [message, "I can see the payment went through twice. Let me fix that for you."]
    assert_each_once(agent, speakers)
    assert speakers.count("customer") == 1 + 2


def test_an_action_server_outage_loses_nothing_and_costs_no_points(servers, new_trainee, session_report):
    trainee = new_trainee(servers, "energy-bill-analytical")
    trainee.send("/start_session")
    servers.stop_server("actions")
    try:
        during = [
            "Hello, this is Sam from the energy team.",
            "Are you still there?",
            "Sorry, our system is slow today.",
        ]
        for text in during:
            texts, info = trainee.send(text)
            assert texts[0] == UNAVAILABLE and info["simulator_unavailable"] is True
    finally:
        servers.restart_server("actions")
    texts, info = trainee.send("Could you tell me what you found on your bill?")
    assert info["messages"], texts

    report, agent, speakers = logged(servers, session_report, trainee)
    assert agent == [*during, "Could you tell me what you found on your bill?"]
    assert_each_once(agent, speakers)
    events = report["scorecard"]["skills"]["listening"]["events"]
    # Messages sent into the outage are not the trainee's fault: no dominating, no interrupting.
    assert [e["kind"] for e in events if e["points"] < 0] == []
