"""Never leave the trainee in silence: if Rasa sends nothing back, say why.

Rasa logs and swallows a failed custom action ("Bot will continue, but the actions events are
lost"), so with the action server down a trainee would see no reply at all. Every trainee message
normally gets the customer's turn or a notice, so an empty answer means the simulator failed; the
message itself is already in Rasa's tracker, and the action logs it on the next turn.

A turn that fails outright says so too: when the conversation store cannot reach its database
(channels/tracker_store.py) the message was not saved, and the notice says to send it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.tracker_store import TrackerStoreUnavailable
from extramile.protocol import TurnPayload, notice_text

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

UNAVAILABLE = notice_text(
    "The customer simulator is unavailable right now. Your message is saved: "
    "send your next message in a moment to carry on."
)
NO_ANSWER = notice_text(
    "The customer did not answer because of a server error. Your message is saved: send it again or carry on."
)
DATABASE_UNAVAILABLE = notice_text(
    "The chat server cannot reach its database right now, so your message was not saved. "
    "Send it again in a minute."
)
FAILED = notice_text(
    "The chat server could not handle your message because of an error, so it may not have been "
    "saved. Send it again in a moment."
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


async def send_notice(output: OutputChannel, recipient_id: str, notice: str, **payload: Any) -> None:
    """A notice as the trainee's client shows it: the text, then the turn payload that carries it."""
    details = TurnPayload(notices=[notice], **payload)
    await output.send_response(recipient_id, {"text": notice, "custom": details.custom_message()})


def answer_or_explain(on_new_message: OnNewMessage, action_webhook: str) -> OnNewMessage:
    """Wrap Rasa's message handler so a silent turn becomes a notice to the trainee.

    `action_webhook` is the action server's URL (settings: ACTION_SERVER_URL), asked whether the
    simulator is up to choose the notice."""

    async def handle(message: UserMessage) -> Any:
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        try:
            result = await on_new_message(message)
        except TrackerStoreUnavailable:
            # Rasa keeps nothing of this turn: it saves the conversation only at the turn's end.
            await send_notice(output.inner, message.sender_id, DATABASE_UNAVAILABLE)
            return None
        except Exception:
            # Logged without the text: a message can be megabytes long (and is the trainee's).
            logger.exception("Handling a message of conversation %s failed", message.sender_id)
            if output.sent == 0:
                await send_notice(output.inner, message.sender_id, FAILED)
            return None
        if output.sent == 0:
            up = await action_server_is_up(action_webhook)
            notice = NO_ANSWER if up else UNAVAILABLE
            await send_notice(output.inner, message.sender_id, notice, simulator_unavailable=not up)
        return result

    return handle
