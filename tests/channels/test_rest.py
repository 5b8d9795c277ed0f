"""The REST channel in-process (Sanic's ASGI interface through httpx) in front of a stand-in for Rasa:
what reaches Rasa, and the 4xx with a reason that everything else gets."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from channels.rest import TrainerRestInput
from channels.silence import DATABASE_UNAVAILABLE
from channels.tracker_store import TrackerStoreUnavailable
from extramile import chat_tokens
from extramile.inbound import PLAIN_TEXT_MARKER, body_limit
from extramile.protocol import PAYLOAD_KEY

SECRET = "rest-channel-test-secret-0123456789"
PER_MINUTE = 4
URL = "/webhooks/rest/webhook"


def token_for(conversation: str, minutes: float = 10, now: float | None = None, **claims: Any) -> str:
    # A trainee of its own for each conversation: the rate limits live as long as the process.
    claims = {
        "conversation_id": conversation,
        "trainee": f"t-{conversation}",
        "persona": "bill-shock-aggressive",
        **claims,
    }
    claims.setdefault("mode", "assessment")
    return chat_tokens.issue(claims, SECRET, minutes, time.time() if now is None else now)[0]


class Rasa:
    """Stands in for Rasa's message handler: records what it gets, answers with an echo."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.fail: BaseException | None = None

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.fail:
            raise self.fail
        await message.output_channel.send_response(message.sender_id, {"text": f"echo {message.text}"})


@pytest.fixture
def rasa() -> Rasa:
    return Rasa()


@pytest.fixture
def post(rasa, monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)
    monkeypatch.setenv("MESSAGES_PER_MINUTE", str(PER_MINUTE))
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "5000")
    app = Sanic(f"rest_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(TrainerRestInput(jwt_key=SECRET).blueprint(rasa), url_prefix="/webhooks/rest")

    def send(
        body: Any = None, token: str | None = None, raw: bytes | None = None, **options: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        content = raw if raw is not None else json.dumps(body).encode()

        async def request() -> httpx.Response:
            if not app.router.finalized:
                await app._startup()  # what Sanic does when an ASGI server starts it
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.post(URL, content=content, headers=headers, **options)

        return asyncio.run(request())

    return send


def conversation() -> str:
    return f"c-{uuid.uuid4().hex[:12]}"


def texts(reply: httpx.Response) -> list[str]:
    return [m["text"] for m in reply.json() if "text" in m]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"sender": "a", "message": ', "not valid JSON"),
        (b"[1, 2, 3]", "must be a JSON object"),
        (b'"hello"', "must be a JSON object"),
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'{"message": "hi", "metadata": "persona"}', "metadata must be a JSON object"),
        (b'{"message": "hi", "metadata": [["persona", "x"]]}', "metadata must be a JSON object"),
        (b'{"sender": "x\\ud800y", "message": "hi"}', "sender must be 1 to 64"),
        (b'{"sender": "x\\u0000y", "message": "hi"}', "sender must be 1 to 64"),
        (b'{"sender": "../../x/y", "message": "hi"}', "sender must be 1 to 64"),
        (b'{"sender": {"a": 1}, "message": "hi"}', "not an object"),
        (b'{"message": "what \\ud800 happened?"}', "lone surrogate"),
        (b'{"message": "a\\u0000b"}', "NUL"),
        (b'{"sender": "ok"}', "message is missing"),
    ]
    + [
        (json.dumps({"message": value}).encode(), "message must be text")
        for value in (None, 42, [1], {"a": 1}, True)
    ],
)
def test_a_bad_request_gets_400_with_a_reason_and_never_reaches_rasa(post, rasa, raw, reason):
    reply = post(raw=raw, token=token_for(conversation()))
    assert reply.status_code == 400 and reason in reply.json()["error"]
    assert rasa.received == []


def test_a_bad_sender_gets_400_with_or_without_a_token(post, rasa):
    for token in (None, token_for("someone-else")):
        reply = post(raw=b'{"sender": "x\\ud800y", "message": "/start_session"}', token=token)
        assert reply.status_code == 400 and "sender" in reply.json()["error"]
    assert rasa.received == []


def test_a_body_over_the_limit_gets_413(post, rasa):
    reply = post({"message": "x" * (body_limit(5000) + 1)}, token=token_for(conversation()))
    assert reply.status_code == 413 and "limit" in reply.json()["error"]
    reply = post({"message": "x" * 5001}, token=token_for(conversation()))
    assert reply.status_code == 400 and "the limit is 5000" in reply.json()["error"]
    assert rasa.received == []


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "A chat token is required"),
        ("not-a-jwt", "not valid"),
        (token_for("c-expired", minutes=1, now=time.time() - 3600), "expired"),
        (chat_tokens.issue({"conversation_id": "c-x", "trainee": "a", "persona": "p", "mode": "practice"},
                           "another-key-0123456789-0123456789", 10, time.time())[0], "not valid"),
    ],
)  # fmt: skip
def test_no_valid_token_gets_401(post, rasa, token, reason):
    reply = post({"sender": "c-expired", "message": "hi"}, token=token)
    assert reply.status_code == 401 and reason in reply.json()["error"]
    assert reply.headers["WWW-Authenticate"] == "Bearer" and rasa.received == []


def test_a_token_for_another_conversation_gets_403(post, rasa):
    reply = post({"sender": "victim-conversation", "message": "Calm down"}, token=token_for("mine"))
    assert reply.status_code == 403 and "another conversation" in reply.json()["error"]
    assert rasa.received == []


def test_rasa_gets_the_tokens_conversation_and_session_and_the_text_as_text(post, rasa):
    mine = conversation()
    token = token_for(mine, seed=7, trainee="ana")
    forged = {"persona": "other", "trainee": "mallory", "mode": "practice"}
    reply = post(
        {"sender": mine, "message": " /start_session ", "metadata": forged, "message_id": "m-1"}, token
    )
    assert reply.status_code == 200 and texts(reply) == ["echo /start_session"]
    reply = post({"message": "/restart", "message_id": "m-2"}, token)  # no sender: the token's
    assert texts(reply) == [f"echo {PLAIN_TEXT_MARKER}/restart"]
    first, second = rasa.received
    assert first.sender_id == second.sender_id == mine
    assert first.metadata == {
        "persona": "bill-shock-aggressive",
        "trainee": "ana",
        "mode": "assessment",
        "seed": 7,
    }
    assert [m.message_id for m in rasa.received] == ["m-1", "m-2"]
    assert first.input_channel == "rest"


def test_too_many_messages_a_minute_get_a_notice_and_are_not_processed(post, rasa):
    mine = conversation()
    token = token_for(mine)
    replies = [post({"sender": mine, "message": f"hello {i}"}, token) for i in range(PER_MINUTE + 1)]
    assert all(r.status_code == 200 for r in replies)
    assert len(rasa.received) == PER_MINUTE
    [notice] = texts(replies[-1])
    assert "You are sending messages too fast" in notice and notice.startswith("[Extra Mile] ")
    payload = next(m["custom"][PAYLOAD_KEY] for m in replies[-1].json() if "custom" in m)
    assert payload["notices"] == [notice]
    other = conversation()  # another conversation is not slowed down
    assert texts(post({"sender": other, "message": "hi"}, token_for(other))) == ["echo hi"]


def test_one_trainee_cannot_flood_through_many_conversations(post, rasa):
    trainee = f"flooder-{uuid.uuid4().hex[:6]}"
    sent = []
    for _ in range(2 * PER_MINUTE + 1):  # twice a conversation's limit, spread over new ones
        mine = conversation()
        sent.append(post({"sender": mine, "message": "hi"}, token_for(mine, trainee=trainee)))
    assert len(rasa.received) == 2 * PER_MINUTE
    assert "too fast" in texts(sent[-1])[0]


def test_a_database_failure_says_the_message_was_not_saved(post, rasa):
    rasa.fail = TrackerStoreUnavailable("database down")
    mine = conversation()
    reply = post({"sender": mine, "message": "hello"}, token_for(mine))
    assert reply.status_code == 200 and texts(reply) == [DATABASE_UNAVAILABLE]
    assert "not saved" in DATABASE_UNAVAILABLE and "Your message is saved" not in DATABASE_UNAVAILABLE


def test_an_error_in_rasa_gets_a_notice_not_silence(post, rasa):
    rasa.fail = RuntimeError("boom")
    mine = conversation()
    reply = post({"sender": mine, "message": "hello"}, token_for(mine))
    assert reply.status_code == 200 and texts(reply)[0].startswith("[Extra Mile] ")


def test_streamed_replies(post, rasa):
    mine = conversation()
    reply = post({"sender": mine, "message": "hi"}, token_for(mine), params={"stream": "true"})
    lines = [json.loads(line) for line in reply.text.splitlines()]
    assert reply.status_code == 200 and [m["text"] for m in lines] == ["echo hi"]
