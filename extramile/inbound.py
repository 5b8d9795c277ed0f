"""What a chat client sends, checked before Rasa or the database sees any of it.

Both chat channels (REST and socket.io) read a client's message with these functions. A value that
is not usable raises InboundError, whose message says what is wrong and how to fix it, and never
repeats the client's value (it may be huge, or not even printable). Pure: no Rasa, no HTTP, no I/O.

Commands: only a message that is exactly `/start_session` or `/end_session` is a command. Rasa
reads any other text that starts with `/` as an intent (`/restart` wipes the conversation, `/back`
undoes a turn), so the channels put an invisible word joiner in front of such text and the action
server takes it off again before it logs the message: the trainee's words reach the NLU as words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from extramile.chat_tokens import CONVERSATION_ID_PATTERN

COMMANDS = frozenset({"/start_session", "/end_session"})
# U+2060 WORD JOINER: not whitespace (Rasa's strip keeps it), invisible, and never typed by accident.
PLAIN_TEXT_MARKER = "\u2060"
MAX_METADATA_BYTES = 8 * 1024
ID_RULE = "1 to 64 letters, digits, '-' or '_'"
_ID = re.compile(CONVERSATION_ID_PATTERN)
_EXAMPLE = '{"sender": "<conversation id>", "message": "Hello, how can I help?"}'


class InboundError(ValueError):
    """What the client sent cannot be used; the message says what is wrong and how to fix it."""


class TooLarge(InboundError):
    """The request is over the size limit (HTTP 413)."""


@dataclass(frozen=True)
class ClientMessage:
    """A trainee's message as a client sent it, checked."""

    text: str
    conversation_id: str | None = None  # None: the client left it to its chat token
    message_id: str | None = None  # the client's id for the message, repeated when it retries
    metadata: dict[str, Any] = field(default_factory=dict)


def body_limit(max_message_chars: int) -> int:
    """The largest request body worth reading: a message of the longest allowed text, whose
    characters JSON may escape as up to 12 bytes each, plus metadata; at least 64 KB."""
    return max(64 * 1024, 12 * max_message_chars + MAX_METADATA_BYTES + 4096)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _reject_constant(name: str) -> Any:
    raise InboundError(f"The request body contains {name}, which is not JSON: send numbers as plain digits.")


def parse_json_body(body: bytes, limit: int) -> Any:
    """The JSON value of a request body of at most `limit` bytes."""
    if len(body) > limit:
        raise TooLarge(f"The request body is {len(body)} bytes; the limit is {limit}. Send shorter messages.")
    if not body.strip():
        raise InboundError(f"The request body is empty: send a JSON object such as {_EXAMPLE}.")
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except RecursionError:
        raise InboundError("The request body is nested too deeply: send a flat JSON object.") from None
    except InboundError:
        raise
    except ValueError:  # JSONDecodeError, or bytes that are not UTF-8/16/32
        raise InboundError(
            f"The request body is not valid JSON (UTF-8): send a JSON object such as {_EXAMPLE}."
        ) from None


def check_conversation_id(value: object, name: str) -> str:
    """A conversation id in the safe form the web page issues."""
    if not isinstance(value, str):
        raise InboundError(f"{name} must be a conversation id ({ID_RULE}), not {_kind(value)}.")
    if not _ID.fullmatch(value):
        raise InboundError(
            f"{name} must be {ID_RULE}: use the conversation id the web page gave you "
            f"(this one has {len(value)} characters, some of them not allowed)."
        )
    return value


def check_message_id(value: object) -> str | None:
    """The client's optional id for a message (it repeats it when it retries)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InboundError(f"message_id must be {ID_RULE}, such as a UUID's hex digits, or left out.")
    return value


def check_text(value: object, max_chars: int) -> str:
    """The text of a message: valid Unicode without NUL, at most `max_chars` characters."""
    if not isinstance(value, str):
        raise InboundError(f'message must be text (a JSON string such as "Hello"), not {_kind(value)}.')
    if len(value) > max_chars:
        raise InboundError(
            f"message is {len(value)} characters long; the limit is {max_chars}. "
            "Split it into shorter messages."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InboundError(
            "message contains a lone surrogate (half of a UTF-16 character pair), which is not "
            "valid Unicode: send the text as UTF-8."
        ) from None
    if "\x00" in value:
        raise InboundError("message contains a NUL character (U+0000): remove it and send the message again.")
    return value


def check_metadata(value: object, name: str, json_text: bool = False) -> dict[str, Any]:
    """A metadata JSON object of at most MAX_METADATA_BYTES; null or absent is an empty one.

    `json_text`: the object may come as a JSON string (Rasa's socket.io channel allows it)."""
    if value is None:
        return {}
    if json_text and isinstance(value, str):
        if len(value) > MAX_METADATA_BYTES:
            raise InboundError(f"{name} is over {MAX_METADATA_BYTES} bytes: send less metadata.")
        try:
            value = json.loads(value, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise InboundError(f"{name} is a string but not JSON: send a JSON object such as {{}}.") from None
    if not isinstance(value, dict):
        raise InboundError(f"{name} must be a JSON object such as {{}}, not {_kind(value)}.")
    try:
        size = len(json.dumps(value, allow_nan=False, separators=(",", ":")))
    except RecursionError:
        raise InboundError(f"{name} is nested too deeply: send a flat JSON object.") from None
    except (TypeError, ValueError):
        raise InboundError(f"{name} must contain only JSON values (no NaN or Infinity).") from None
    if size > MAX_METADATA_BYTES:
        raise InboundError(f"{name} is {size} bytes as JSON; the limit is {MAX_METADATA_BYTES}: send less.")
    return value


def read_message(
    data: object, *, id_field: str, metadata_field: str, max_chars: int, json_text_metadata: bool = False
) -> ClientMessage:
    """A client's message: an object with the text in `message`, the conversation id in
    `id_field` (optional: the chat token names it), `message_id` and metadata (both optional)."""
    if not isinstance(data, dict):
        raise InboundError(f"The message must be a JSON object such as {_EXAMPLE}, not {_kind(data)}.")
    if "message" not in data:
        raise InboundError('message is missing: put the text in "message", for example "message": "Hello".')
    text = check_text(data["message"], max_chars)
    raw_id = data.get(id_field)
    conversation_id = None if raw_id is None else check_conversation_id(raw_id, id_field)
    return ClientMessage(
        text=text,
        conversation_id=conversation_id,
        message_id=check_message_id(data.get("message_id")),
        metadata=check_metadata(data.get(metadata_field), metadata_field, json_text_metadata),
    )


def read_session_request(data: object) -> str | None:
    """The conversation id a socket.io `session_request` asks for (None: the token's)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        example = '{"session_id": "<conversation id>"}'
        raise InboundError(f"session_request must be an object such as {example}, not {_kind(data)}.")
    raw_id = data.get("session_id")
    return None if raw_id is None else check_conversation_id(raw_id, "session_id")


def mark_plain_text(text: str) -> str:
    """The text to give Rasa: a command as it is, any other text that Rasa would read as an
    intent (it starts with `/`) or that starts with the marker, behind one marker."""
    stripped = text.strip()  # Rasa strips the text before it looks for the "/"
    if stripped in COMMANDS:
        return stripped
    if stripped.startswith("/") or stripped.startswith(PLAIN_TEXT_MARKER):
        return PLAIN_TEXT_MARKER + stripped
    return text


def unmark_plain_text(text: str) -> str:
    """What the trainee typed: the text Rasa got, without the marker `mark_plain_text` added."""
    return text[len(PLAIN_TEXT_MARKER) :] if text.startswith(PLAIN_TEXT_MARKER) else text


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def allowed_origins(web_public_url: str) -> list[str]:
    """The browser origins that may open a chat: the web app's, and its 127.0.0.1/localhost twin."""
    parts = urlsplit(web_public_url.strip())
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number
        return []
    if not parts.scheme or not parts.hostname:
        return []
    origins = [f"{parts.scheme}://{parts.hostname}{port}"]
    twins = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}
    if parts.hostname in twins:
        origins.append(f"{parts.scheme}://{twins[parts.hostname]}{port}")
    return origins
