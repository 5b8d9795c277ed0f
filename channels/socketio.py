"""Rasa's socket.io channel for the chat widget: same events and metadata, never silent, and
custom data sent the way the REST channel sends it.

Rasa's own socket.io output passes a custom payload to `emit` as keyword arguments, so only
payloads shaped like emit's own arguments survive; this output sends `{"custom": payload}` as
one `bot_uttered` event instead, the same shape a REST client gets.
"""

from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.silence import OnNewMessage, answer_or_explain
from extramile.settings import load_settings


class TrainerSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def _with_trainer_output(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> Any:
        output = message.output_channel
        message.output_channel = TrainerSocketIOOutput(output.sio, output.bot_message_evt)
        return await on_new_message(message)

    return handle


class TrainerSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        return super().blueprint(
            _with_trainer_output(answer_or_explain(on_new_message, load_settings().action_server_url))
        )
