"""Rasa's socket.io channel for the chat widget: same events, checked, never silent.

The blueprint is Rasa's SocketIOInput blueprint (its handlers are closures there, so it is
written out here) with these changes:
- A client connects with `auth: {token: <chat token>}` (extramile/chat_tokens.py) or is refused;
  the token's claims are kept for the connection, and it may request, join and send into only the
  conversation the token names. Browsers may connect only from the web app's origin.
- `user_uttered` data is `{message, session_id, message_id}` (extramile/inbound.py checks it); the
  session metadata comes from the token. Any event that cannot be used gets a notice, never silence.
- Custom data goes out the way the REST channel sends it: Rasa's own socket.io output passes a
  custom payload to `emit` as keyword arguments, so only payloads shaped like emit's own arguments
  survive; this output sends `{"custom": payload}` as one `bot_uttered` event instead.
- The engine.io route is marked as a websocket handler, so Sanic no longer logs an error with a
  traceback ("Invalid response type None") each time a websocket closes.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError

from channels.guard import Guard, check_jwt_method
from channels.silence import FAILED, OnNewMessage, answer_or_explain, send_notice
from extramile.chat_tokens import ALGORITHM, ChatClaims, ChatTokenError
from extramile.inbound import InboundError, allowed_origins, body_limit, read_message, read_session_request
from extramile.protocol import notice_text
from extramile.settings import load_settings

logger = logging.getLogger(__name__)

NOT_CONNECTED = "This connection has no valid chat token: reload the page to connect again."


class TrainerSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class TrainerSocketBlueprint(SocketBlueprint):
    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        # What `sio.attach` does, with a handler Sanic knows may return nothing after a websocket.
        sio: AsyncServer = self.ctx.sio

        async def engineio(request: Request) -> HTTPResponse | None:
            result: HTTPResponse | None = await sio.handle_request(request)
            return result

        engineio.is_websocket = True  # type: ignore[attr-defined]
        path = "/" + self.ctx.socketio_path.strip("/") + "/"
        app.add_route(engineio, path, methods=["GET", "POST", "OPTIONS"], name="extramile_socketio")
        app.enable_websocket()
        Blueprint.register(self, app, options)


class TrainerSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        check_jwt_method((credentials or {}).get("jwt_method", ALGORITHM))
        return channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        settings = load_settings()
        guard = Guard.create(self.jwt_key, settings)
        handle = answer_or_explain(on_new_message, settings.action_server_url)
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=allowed_origins(settings.web_public_url),
            max_http_buffer_size=body_limit(settings.max_message_chars),
        )
        socketio_webhook = TrainerSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # for get_output_channel, as in Rasa's
        namespace = self.namespace

        def output() -> TrainerSocketIOOutput:
            return TrainerSocketIOOutput(sio, self.bot_message_evt)

        async def claims_of(sid: str) -> ChatClaims | None:
            session = await sio.get_session(sid, namespace=namespace)
            claims = session.get("claims")
            return claims if isinstance(claims, ChatClaims) else None

        async def refuse(sid: str, reason: str) -> None:
            # To this connection only (its own room): the conversation id it sent may not be its.
            await send_notice(output(), sid, notice_text(reason))

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            try:
                claims = guard.claims(token)
            except ChatTokenError as problem:
                raise ConnectionRefusedError(str(problem)) from None
            await sio.save_session(sid, {"claims": claims}, namespace=namespace)
            logger.debug(f"User {sid} connected to socketIO endpoint.")
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            logger.debug(f"User {sid} disconnected from socketIO endpoint.")

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            try:
                claims = await claims_of(sid)
                if claims is None:
                    return await refuse(sid, NOT_CONNECTED)
                conversation = guard.conversation(read_session_request(data), claims)
                # Always the conversation's room, whatever session_persistence says: the replies
                # go to the conversation, and the token names it.
                sio.enter_room(sid, conversation, namespace=namespace)
                await sio.emit("session_confirm", conversation, room=sid, namespace=namespace)
                logger.debug(f"User {sid} joined conversation {conversation}.")
            except (InboundError, ChatTokenError) as problem:
                await refuse(sid, str(problem))
            except Exception:
                logger.exception("session_request failed")
                await send_notice(output(), sid, FAILED)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            try:
                claims = await claims_of(sid)
                if claims is None:
                    return await refuse(sid, NOT_CONNECTED)
                message = read_message(
                    data,
                    id_field="session_id",
                    metadata_field=self.metadata_key or "metadata",
                    max_chars=guard.max_message_chars,
                    json_text_metadata=True,
                )
                conversation = guard.conversation(message.conversation_id, claims)
                sio.enter_room(sid, conversation, namespace=namespace)  # no session_request: joins now
                if not guard.allow(claims):
                    await send_notice(output(), sid, guard.too_fast)
                    return None
                await handle(guard.user_message(message, claims, output(), self.name()))
            except (InboundError, ChatTokenError) as problem:
                await refuse(sid, f"Your message was not sent: {problem}")
            except Exception:
                logger.exception("Handling a socket.io message failed")
                await send_notice(output(), sid, FAILED)
            return None

        return socketio_webhook
