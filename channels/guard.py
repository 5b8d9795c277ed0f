"""What both chat channels check before Rasa sees a message, and the message Rasa then gets.

A client may talk only in the conversation its chat token names (extramile/chat_tokens.py), at
most `messages_per_minute` messages a minute per conversation (twice that per trainee); the
session metadata (persona, trainee, mode, seed) comes from the token, never from the client. The
token's key is the channel's `jwt_key` in credentials.yml (`${SECRET_KEY}`), or SECRET_KEY from
the settings.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from rasa.core.channels.channel import OutputChannel, UserMessage

from extramile import chat_tokens
from extramile.chat_tokens import ChatClaims, ChatTokenError
from extramile.inbound import ClientMessage, body_limit, mark_plain_text
from extramile.protocol import notice_text
from extramile.ratelimit import RateLimit
from extramile.settings import Settings

OTHER_CONVERSATION = (
    "This chat token is for another conversation: use the conversation id it was issued for, "
    "or get a token for this one from the web page."
)


@functools.cache
def _limit(per_minute: int) -> RateLimit:
    # One limit per rate and process for both channels: messages count wherever they come in.
    return RateLimit(per_minute, window=60.0)


def check_jwt_method(jwt_method: str | None) -> None:
    if jwt_method not in (None, chat_tokens.ALGORITHM):
        method = chat_tokens.ALGORITHM
        raise ValueError(f"credentials.yml: jwt_method must be {method}, the chat tokens' method.")


@dataclass
class Guard:
    secret_key: str
    max_message_chars: int
    messages_per_minute: int

    @classmethod
    def create(cls, jwt_key: str | None, settings: Settings) -> Guard:
        return cls(jwt_key or settings.secret_key, settings.max_message_chars, settings.messages_per_minute)

    @property
    def body_limit(self) -> int:
        return body_limit(self.max_message_chars)

    @property
    def too_fast(self) -> str:
        return notice_text(
            f"You are sending messages too fast: at most {self.messages_per_minute} a minute. "
            "This one was not sent; wait a moment, then send it again."
        )

    def claims(self, token: object) -> ChatClaims:
        """The claims of a valid chat token; ChatTokenError says what is wrong with it."""
        return chat_tokens.verify(token, self.secret_key)

    def conversation(self, asked: str | None, claims: ChatClaims) -> str:
        """The conversation a client may use: the one it asked for if it is the token's."""
        if asked is not None and asked != claims.conversation_id:
            raise ChatTokenError(OTHER_CONVERSATION)
        return claims.conversation_id

    def allow(self, claims: ChatClaims) -> bool:
        """Count a message for its conversation and its trainee; False when either is over the
        limit (a trainee gets twice a conversation's, for two tabs, not for a flood of them)."""
        now = time.monotonic()
        conversation = _limit(self.messages_per_minute).allow(claims.conversation_id, now)
        trainee = _limit(2 * self.messages_per_minute).allow(f"trainee:{claims.trainee}", now)
        return conversation and trainee

    def user_message(
        self, message: ClientMessage, claims: ChatClaims, output: OutputChannel, input_channel: str
    ) -> UserMessage:
        """The message for Rasa: the token's conversation and session metadata, and text that Rasa
        reads as text unless it is exactly a command."""
        user_message = UserMessage(
            message.text,
            output,
            claims.conversation_id,
            input_channel=input_channel,
            message_id=message.message_id,
            metadata=claims.session_metadata(),
        )
        # After the constructor, which strips the text: Rasa strips it again before it looks for "/".
        if user_message.text is not None:
            user_message.text = mark_plain_text(user_message.text)
        return user_message
