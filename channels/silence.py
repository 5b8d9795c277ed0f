"""Never leave the trainee in silence: if Rasa sends nothing back, say why.

Rasa logs and swallows a failed custom action ("Bot will continue, but the actions events are
lost"), so with the action server down a trainee would see no reply at all. Every trainee message
normally gets the customer's turn or a notice, so an empty answer means the simulator failed; the
message itself is already in Rasa's tracker, and the action logs it on the next turn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage

from extramile.protocol import TurnPayload, notice_text

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

UNAVAILABLE = notice_text(
    "The customer simulator is unavailable right now. Your message is saved: "
    "send your next message in a moment to carry on."
)
NO_ANSWER = notice_text(
    "The customer did not answer because of a server error. Your message is saved: send it again or carry on."
)


class CountingOutput(OutputChannel):
    """Passes every response to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "counting"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)


async def action_server_is_up(webhook: str) -> bool:
    health = webhook.rsplit("/webhook", 1)[0] + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=2)
        async with aiohttp.ClientSession(timeout=timeout) as http, http.get(health) as response:
            return response.status == 200
    except (aiohttp.ClientError, OSError, TimeoutError):
        return False


def answer_or_explain(on_new_message: OnNewMessage, action_webhook: str) -> OnNewMessage:
    """Wrap Rasa's message handler so a silent turn becomes a notice to the trainee.

    `action_webhook` is the action server's URL (settings: ACTION_SERVER_URL), asked whether the
    simulator is up to choose the notice."""

    async def handle(message: UserMessage) -> Any:
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        result = await on_new_message(message)
        if output.sent == 0:
            up = await action_server_is_up(action_webhook)
            notice = NO_ANSWER if up else UNAVAILABLE
            payload = TurnPayload(notices=[notice], simulator_unavailable=not up)
            await output.inner.send_response(
                message.sender_id, {"text": notice, "custom": payload.custom_message()}
            )
        return result

    return handle
