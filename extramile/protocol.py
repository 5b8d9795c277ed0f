"""What the chat client receives with every turn: the `extra_mile` payload, and notices.

The Rasa action sends the customer's messages as plain text (so any Rasa client shows them) and
then one custom message `{"custom": {"extra_mile": <TurnPayload>}}` that a client uses to show
typing at the right pace, the mood, hints and the end of the session. The channels send the same
shape when the customer simulator cannot answer. `web/static/chat.js` reads it; the README
documents it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from extramile.vocab import Outcome

# Problems and news for the trainee start with this, so a plain-text client can tell them apart.
NOTICE_PREFIX = "[Extra Mile] "
PAYLOAD_KEY = "extra_mile"


class ScheduledMessage(BaseModel):
    text: str
    at: float  # server time when the customer has typed it and it appears


class TurnPayload(BaseModel):
    messages: list[ScheduledMessage] = Field(default_factory=list)
    ends_at: float | None = None  # when the customer's whole turn has arrived; before: interruption
    mood: int | None = None
    interrupted: bool = False
    outcome: Outcome | None = None  # null while the session is under way
    notices: list[str] = Field(default_factory=list)
    hint: str | None = None  # practice mode only: coaching on the latest message
    server_time: float | None = None  # the server's clock when it sent this, to correct for skew
    simulator_unavailable: bool | None = None  # set by the channel when the action server is down

    def custom_message(self) -> dict[str, Any]:
        """The payload as the `json_message` / `custom` content of a Rasa response."""
        return {PAYLOAD_KEY: self.dict()}


def notice_text(notice: str) -> str:
    return NOTICE_PREFIX + notice
