"""Chat tokens: what lets a signed-in trainee talk in one conversation, and nothing more.

The web app issues a short-lived JWT after sign-in (HS256, signed with SECRET_KEY); the chat
channels check it with the same key, the way Rasa's socket.io channel checks its `jwt_key`. The
token binds the conversation id (`sub`) to the trainee and to the session's persona and mode, so a
client can neither join another trainee's conversation nor start a session under another name:
the channels take persona, trainee and mode from the token, never from the client's metadata.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import jwt
from pydantic import BaseModel, Field

from extramile.vocab import Mode

ALGORITHM = "HS256"
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # the documented safe form of a conversation id


class ChatClaims(BaseModel):
    """What a chat token says: who may talk in which conversation, until when."""

    conversation_id: str = Field(..., regex=CONVERSATION_ID_PATTERN)
    trainee: str = Field(..., min_length=1, max_length=200)
    persona: str = Field(..., min_length=1, max_length=100)
    mode: Mode
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    expires_at: float

    def session_metadata(self) -> dict[str, Any]:
        """The metadata the practice service starts a session from."""
        metadata: dict[str, Any] = {"persona": self.persona, "trainee": self.trainee, "mode": self.mode}
        if self.seed is not None:
            metadata["seed"] = self.seed
        return metadata


class ChatTokenError(ValueError):
    """A token that is missing, forged, expired or for another conversation; says which."""


def issue(
    claims_without_expiry: dict[str, Any], secret_key: str, minutes: float, now: float
) -> tuple[str, ChatClaims]:
    """A signed token for these claims (conversation_id, trainee, persona, mode, seed)."""
    if not secret_key:
        raise ChatTokenError("SECRET_KEY is not set: chat tokens cannot be signed (see .env.example).")
    claims = ChatClaims(**claims_without_expiry, expires_at=now + minutes * 60)
    payload = {
        "sub": claims.conversation_id,
        "trainee": claims.trainee,
        "persona": claims.persona,
        "mode": claims.mode,
        "seed": claims.seed,
        "iat": int(now),
        "exp": int(claims.expires_at),
    }
    return jwt.encode(payload, secret_key, algorithm=ALGORITHM), claims


def verify(token: object, secret_key: str, conversation_id: str | None = None) -> ChatClaims:
    """The claims of a valid token; ChatTokenError says what is wrong with any other.

    With `conversation_id`, the token must be for that conversation."""
    if not isinstance(token, str) or not token:
        raise ChatTokenError("A chat token is required: sign in on the web page to get one.")
    if not secret_key:
        raise ChatTokenError("The chat server has no SECRET_KEY, so it cannot check chat tokens.")
    try:
        payload = jwt.decode(token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError:
        raise ChatTokenError("The chat token has expired: reload the page to get a new one.") from None
    except jwt.InvalidTokenError:
        raise ChatTokenError("The chat token is not valid: sign in again on the web page.") from None
    try:
        claims = ChatClaims.parse_obj(
            {
                "conversation_id": payload["sub"],
                "trainee": payload.get("trainee"),
                "persona": payload.get("persona"),
                "mode": payload.get("mode"),
                "seed": payload.get("seed"),
                "expires_at": payload["exp"],
            }
        )
    except ValueError:
        raise ChatTokenError("The chat token is not valid: sign in again on the web page.") from None
    if conversation_id is not None and claims.conversation_id != conversation_id:
        raise ChatTokenError("This chat token is for another conversation.")
    return claims


def new_conversation_id(trainee: str, secret_key: str) -> str:
    """A fresh conversation id that carries proof of whom it was made for (an HMAC of the
    random part and the trainee), so a token is issued for a new conversation only to its owner."""
    random_part = secrets.token_hex(12)
    return f"{random_part}-{_proof(random_part, trainee, secret_key)}"


def made_for(conversation_id: str, trainee: str, secret_key: str) -> bool:
    """Whether `new_conversation_id` made this id for this trainee."""
    random_part, _, proof = conversation_id.partition("-")
    return bool(proof) and hmac.compare_digest(proof, _proof(random_part, trainee, secret_key))


def _proof(random_part: str, trainee: str, secret_key: str) -> str:
    message = f"{random_part}:{trainee}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:24]
