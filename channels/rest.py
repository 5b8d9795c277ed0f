"""Rasa's REST channel (same URL, /webhooks/rest/webhook, same replies), checked and never silent.

The blueprint is Rasa's RestInput blueprint with checks in front (Rasa's reads the body with no
checks at all): a request must carry `Authorization: Bearer <chat token>`, and its body must be a
JSON object `{"sender": <conversation id>, "message": <text>, "message_id": <optional id>}`. A bad
request gets a 4xx with `{"error": "<what is wrong and how to fix it>"}`: 413 over the size limit,
400 for a body or field that cannot be used, 401 without a valid token, 403 for a sender that is
not the token's conversation. Rasa never sees such a request. The session (persona, trainee, mode)
is the token's: `metadata` in the body is checked (a JSON object, 8 KB at most) but not used.
Replies are Rasa's: the list of bot messages, or NDJSON with `?stream=true`; a message over the
rate limit gets a notice instead and is not processed.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels.guard import Guard, check_jwt_method
from channels.silence import OnNewMessage, answer_or_explain, send_notice
from extramile.chat_tokens import ALGORITHM, ChatTokenError
from extramile.inbound import InboundError, TooLarge, bearer_token, parse_json_body, read_message
from extramile.settings import load_settings


def error(status: int, reason: str, **headers: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status, headers=headers or None)


class TrainerRestInput(RestInput):
    def __init__(self, jwt_key: str | None = None, jwt_method: str | None = ALGORITHM) -> None:
        check_jwt_method(jwt_method)
        self.jwt_key = jwt_key

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("jwt_key"), credentials.get("jwt_method", ALGORITHM))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        settings = load_settings()
        guard = Guard.create(self.jwt_key, settings)
        handle = answer_or_explain(on_new_message, settings.action_server_url)
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.listener("before_server_start")
        async def too_large_as_json(app: Sanic, _: Any) -> None:
            # Sanic refuses a body over REQUEST_MAX_SIZE before any route runs, with an HTML page.
            limit = app.config.REQUEST_MAX_SIZE
            reason = f"The request body is over the limit of {limit} bytes. Send shorter messages."
            app.error_handler.add(PayloadTooLarge, lambda request, exception: error(413, reason))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            # The body first: a malformed request gets the same 400 with or without a token.
            try:
                message = read_message(
                    parse_json_body(request.body, guard.body_limit),
                    id_field="sender",
                    metadata_field="metadata",
                    max_chars=guard.max_message_chars,
                )
            except TooLarge as problem:
                return error(413, str(problem))
            except InboundError as problem:
                return error(400, str(problem))
            try:
                claims = guard.claims(bearer_token(request.headers.get("Authorization")))
            except ChatTokenError as problem:
                reason = f"{problem} Send it as the header 'Authorization: Bearer <token>'."
                return error(401, reason, **{"WWW-Authenticate": "Bearer"})
            try:
                sender = guard.conversation(message.conversation_id, claims)
            except ChatTokenError as problem:
                return error(403, str(problem))

            async def process(output: OutputChannel) -> None:
                if not guard.allow(claims):
                    await send_notice(output, sender, guard.too_fast)
                    return
                await handle(guard.user_message(message, claims, output, self.name()))

            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(stream_of(process), content_type="text/event-stream")
            collector = CollectingOutputChannel()
            await process(collector)
            return response.json(collector.messages)

        return webhook


Process = Callable[[OutputChannel], Awaitable[None]]


def stream_of(process: Process) -> Callable[[Any], Coroutine[Any, Any, None]]:
    """Rasa's streamed reply: one JSON bot message per line as the turn produces them."""

    async def stream(resp: Any) -> None:
        queue: asyncio.Queue[Any] = asyncio.Queue()

        async def run() -> None:
            try:
                await process(QueueOutputChannel(queue))
            finally:
                await queue.put(None)

        task = asyncio.ensure_future(run())
        while (item := await queue.get()) is not None:
            await resp.write(json.dumps(item) + "\n")
        await task

    return stream
