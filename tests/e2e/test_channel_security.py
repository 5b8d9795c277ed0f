"""End to end, against the real servers: what an untrusted client can do with the chat channels.

Every malformed or unauthorised request gets a 4xx with a reason (REST) or a notice (socket.io),
never a 500, never silence, never a server that stops; a socket.io client reaches only the
conversation its chat token names; browsers connect only from the web app. Runs on SQLite and on
PostgreSQL: a NUL byte or a lone surrogate in a conversation id used to stop Rasa on both.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import pytest
import requests
import socketio

from extramile import chat_tokens

PER_MINUTE = 8  # messages a minute per conversation, low so the limit is quick to reach


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request, new_postgres_database, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'extramile.db'}"
    else:
        with new_postgres_database() as url:
            yield url


@pytest.fixture(scope="module")
def servers(database_url, start_servers, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("logs")
    with start_servers(
        database_url, log_dir, web=False, typing_scale=0.0, messages_per_minute=PER_MINUTE
    ) as services:
        yield services


def all_up(servers) -> bool:
    running = all(process.poll() is None for process in servers.processes.values())
    return running and requests.get(f"{servers.rasa_url}/webhooks/rest/", timeout=5).ok


def bad_requests(servers, trainee) -> list[tuple[str, bytes, dict[str, str], int]]:
    """(what, body, headers, expected status): everything a client should not be able to send."""
    mine = {"Authorization": f"Bearer {trainee.token}"}
    expired = chat_tokens.issue(
        {
            "conversation_id": trainee.sender,
            "trainee": "t",
            "persona": "bill-shock-aggressive",
            "mode": "practice",
        },
        servers.settings.secret_key,
        1,
        time.time() - 3600,
    )[0]
    other = chat_tokens.issue(
        {
            "conversation_id": "someone-else",
            "trainee": "t",
            "persona": "bill-shock-aggressive",
            "mode": "practice",
        },
        servers.settings.secret_key,
        10,
        time.time(),
    )[0]

    def body(**fields: Any) -> bytes:
        return json.dumps({"sender": trainee.sender, **fields}).encode()

    return [
        ("malformed JSON", b'{"sender": "a", "message": ', mine, 400),
        ("a JSON array", b"[1, 2, 3]", mine, 400),
        ("a JSON string", b'"hello"', mine, 400),
        ("an empty body", b"", mine, 400),
        ("nesting 5,000 deep", b"[" * 5000 + b"]" * 5000, mine, 400),
        ("no message", body(), mine, 400),
        *[(f"message {v!r}", body(message=v), mine, 400) for v in (None, 42, [1], {"a": 1}, True)],
        ("metadata a string", body(message="hi", metadata="persona"), mine, 400),
        ("metadata a number", body(message="hi", metadata=5), mine, 400),
        ("a message of 6,000 characters", body(message="word " * 1200), mine, 400),
        ("a body of 1 MB", body(message="x" * 1_000_000), mine, 413),
        ("a lone surrogate in the text", b'{"message": "what \\ud800 happened?"}', mine, 400),
        ("NUL in the text", b'{"message": "what \\u0000 happened?"}', mine, 400),
        (
            "a lone surrogate in the sender",
            b'{"sender": "x\\ud800y", "message": "/start_session"}',
            mine,
            400,
        ),
        ("NUL in the sender", b'{"sender": "x\\u0000y", "message": "/start_session"}', mine, 400),
        ("a path as sender", b'{"sender": "../../x/y", "message": "hi"}', mine, 400),
        (
            "a sender of 10,000 characters",
            json.dumps({"sender": "s" * 10_000, "message": "hi"}).encode(),
            mine,
            400,
        ),
        ("a bad sender and no token", b'{"sender": "x\\u0000y", "message": "hi"}', {}, 400),
        ("no token", body(message="hi"), {}, 401),
        ("a token that is not one", body(message="hi"), {"Authorization": "Bearer abc.def.ghi"}, 401),
        ("an expired token", body(message="hi"), {"Authorization": f"Bearer {expired}"}, 401),
        ("a token for another conversation", body(message="hi"), {"Authorization": f"Bearer {other}"}, 403),
    ]


def test_bad_requests_get_a_4xx_with_a_reason_and_nothing_stops(
    servers, new_trainee, database_url, session_report
):
    trainee = new_trainee(servers, "bill-shock-aggressive")
    problems = []
    for what, body, headers, status in bad_requests(servers, trainee):
        reply = requests.post(
            f"{servers.rasa_url}/webhooks/rest/webhook", data=body, headers=headers, timeout=60
        )
        reason = (
            reply.json().get("error")
            if reply.headers.get("content-type", "").startswith("application/json")
            else None
        )
        if reply.status_code != status or not reason:
            problems.append(f"{what}: {reply.status_code} {reply.text[:200]}")
    assert problems == []
    assert all_up(servers)
    assert session_report(database_url, trainee.sender) is None  # none of them reached the log
    opening, info = trainee.send("/start_session")
    assert opening and info["messages"]


def test_a_bad_sender_stops_nothing(servers, new_trainee):
    trainee = new_trainee(servers, "bill-shock-aggressive")
    for sender in ("x\ud800y", "x\x00y", "\udfff", "a\x00"):
        raw = json.dumps({"sender": sender, "message": "/start_session"}).encode()  # escaped: \ud800
        reply = trainee.post(raw, headers={"Content-Type": "application/json"})
        assert reply.status_code == 400 and "sender must be" in reply.json()["error"]
    time.sleep(1)  # a server that was going to stop would have by now
    assert all_up(servers)
    assert trainee.send("/start_session")[1]["messages"]


def test_too_many_messages_a_minute_get_a_notice(servers, new_trainee, database_url, session_report):
    trainee = new_trainee(servers, "bill-shock-aggressive")
    texts = [trainee.send("/start_session")[0]]
    for i in range(PER_MINUTE):
        texts.append(trainee.send(f"Thanks for waiting, let me check that for you ({i}).")[0])
    assert not any("too fast" in t for reply in texts[:PER_MINUTE] for t in reply)
    [notice] = texts[-1]
    assert notice.startswith("[Extra Mile] You are sending messages too fast")
    agent = [
        m["text"] for m in session_report(database_url, trainee.sender)["messages"] if m["speaker"] == "agent"
    ]
    assert f"({PER_MINUTE - 1})" not in " ".join(agent)  # the refused message was not processed


class Client:
    """A socket.io client that records what it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient()
        self.bot: list[dict[str, Any]] = []
        self.confirmed: list[str] = []
        self.sio.on("bot_uttered", self.bot.append)
        self.sio.on("session_confirm", self.confirmed.append)

    async def connect(self, servers, token: str | None, origin: str | None = None) -> None:
        await self.sio.connect(
            servers.rasa_url,
            socketio_path="/socket.io",
            transports=["websocket"],
            auth={"token": token} if token else None,
            headers={"Origin": origin} if origin else {},
            wait_timeout=10,
        )

    def texts(self) -> list[str]:
        return [m["text"] for m in self.bot if "text" in m]

    async def until(self, done, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"timed out; received {self.bot}"
            await asyncio.sleep(0.05)


def token(servers, conversation: str, trainee: str = "Socket") -> str:
    claims = {"conversation_id": conversation, "trainee": trainee, "persona": "lost-parcel-expressive"}
    return chat_tokens.issue({**claims, "mode": "practice"}, servers.settings.secret_key, 10, time.time())[0]


def test_socketio_refuses_connections_without_a_valid_token_or_from_another_origin(servers):
    async def attempts() -> None:
        conversation = f"sio-{uuid.uuid4().hex[:10]}"
        for credentials, origin in [
            (None, None),
            ("not-a-token", None),
            (token(servers, conversation), "http://evil.example"),
        ]:
            with pytest.raises(socketio.exceptions.ConnectionError):
                await Client().connect(servers, credentials, origin)
        client = Client()
        await client.connect(servers, token(servers, conversation), servers.settings.web_public_url)
        await client.sio.disconnect()

    asyncio.run(attempts())
    assert all_up(servers)


def test_socketio_keeps_a_conversation_to_its_tokens_holder(servers, database_url, session_report):
    a, b = f"sio-a-{uuid.uuid4().hex[:8]}", f"sio-b-{uuid.uuid4().hex[:8]}"

    async def converse() -> tuple[Client, Client]:
        victim, intruder = Client(), Client()
        await victim.connect(servers, token(servers, a, "Victim"))
        await intruder.connect(servers, token(servers, b, "Intruder"))
        await victim.sio.emit("session_request", {"session_id": a})
        await victim.until(lambda: victim.confirmed)
        await intruder.sio.emit("session_request", {"session_id": a})
        await intruder.until(lambda: len(intruder.texts()) == 1)
        await victim.sio.emit(
            "user_uttered", {"session_id": a, "message": "/start_session", "message_id": "v1"}
        )
        await victim.until(lambda: any("custom" in m for m in victim.bot))
        intrusion = {"session_id": a, "message": "Calm down, it's your own fault.", "message_id": "i1"}
        await intruder.sio.emit("user_uttered", intrusion)
        await intruder.until(lambda: len(intruder.texts()) == 2)
        await victim.sio.emit(
            "user_uttered", {"session_id": a, "message": "What happened?", "message_id": "v2"}
        )
        await victim.until(lambda: sum("custom" in m for m in victim.bot) == 2)
        await asyncio.sleep(0.5)  # anything meant for the victim's room has arrived by now
        for client in (victim, intruder):
            await client.sio.disconnect()
        return victim, intruder

    victim, intruder = asyncio.run(converse())
    assert intruder.confirmed == [] and victim.confirmed == [a]
    assert all("another conversation" in t for t in intruder.texts())
    assert not set(victim.texts()) & set(intruder.texts())  # none of the victim's messages
    report = session_report(database_url, a)
    assert report["trainee"] == "Victim"
    assert [m["text"] for m in report["messages"] if m["speaker"] == "agent"] == ["What happened?"]


BAD_EVENTS: list[Any] = [
    "just a string",
    None,
    [1, 2],
    {"message": None},
    {"message": 42},
    {"message": "hi", "customData": "{not json"},
    {"message": "hi", "customData": 5},
    {"message": "hi", "session_id": {"a": 1}},
    {"message": "hi", "session_id": "evil\x00id"},
    {"message": "what \ud800 happened?"},
    {"message": "x" * 6000},
]


def test_socketio_answers_every_bad_event_with_a_notice(servers):
    conversation = f"sio-{uuid.uuid4().hex[:10]}"

    async def send_all() -> Client:
        client = Client()
        await client.connect(servers, token(servers, conversation))
        for count, event in enumerate(BAD_EVENTS, start=1):
            await client.sio.emit("user_uttered", event)
            await client.until(lambda count=count: len(client.texts()) == count, timeout=20)
        await client.sio.disconnect()
        return client

    client = asyncio.run(send_all())
    assert all(t.startswith("[Extra Mile] Your message was not sent: ") for t in client.texts())
    assert all("custom" in m for m in client.bot if "text" not in m)
    assert all_up(servers)


def test_disconnects_log_no_errors(servers):
    async def cycles() -> None:
        for _ in range(3):
            client = Client()
            await client.connect(servers, token(servers, f"sio-{uuid.uuid4().hex[:10]}"))
            await client.sio.disconnect()
        await asyncio.sleep(1)

    asyncio.run(cycles())
    log = (servers.log_dir / "rasa.log").read_text(errors="replace")
    assert "Invalid response type" not in log and "Task exception was never retrieved" not in log
