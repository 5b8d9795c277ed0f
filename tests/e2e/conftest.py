"""A trainee's chat client for the end-to-end suites: a chat token from the servers' SECRET_KEY (as
the web app issues it after sign-in), REST with `Authorization: Bearer`, and the turn payload."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session

from extramile import chat_tokens, store
from extramile.devserver import Services
from extramile.protocol import PAYLOAD_KEY
from extramile.store.reports import session_report as report_of


def chat_token(servers: Services, conversation: str, persona: str, name: str, mode: str = "practice") -> str:
    claims = {"conversation_id": conversation, "trainee": name, "persona": persona, "mode": mode}
    return chat_tokens.issue(claims, servers.settings.secret_key, 30, time.time())[0]


class Trainee:
    def __init__(self, servers: Services, persona: str, name: str | None = None, mode: str = "practice"):
        self.servers = servers
        self.sender = f"it-{uuid.uuid4().hex[:10]}"
        # A trainee of their own (as in a cohort), so the suites never meet the per-trainee limit.
        name = name or f"trainee-{self.sender}"
        self.token = chat_token(servers, self.sender, persona, name, mode)
        self.wait_until = 0.0

    @property
    def webhook(self) -> str:
        return f"{self.servers.rasa_url}/webhooks/rest/webhook"

    def post(self, body: Any, token: str | None = None, **options: Any) -> requests.Response:
        """One request as it is, with this trainee's token unless another is given."""
        headers = {"Authorization": f"Bearer {token or self.token}", **options.pop("headers", {})}
        if isinstance(body, bytes):
            return requests.post(self.webhook, data=body, headers=headers, timeout=60, **options)
        return requests.post(self.webhook, json=body, headers=headers, timeout=60, **options)

    def send(self, text: str, message_id: str | None = None) -> tuple[list[str], dict[str, Any]]:
        """A message after the customer has finished typing (with a new id unless one is given, as
        the clients do): the texts shown and the turn payload."""
        time.sleep(max(0.0, self.wait_until - time.time()))
        body = {"sender": self.sender, "message": text, "message_id": message_id or uuid.uuid4().hex}
        response = self.post(body)
        response.raise_for_status()
        messages = response.json()
        info = next((m["custom"][PAYLOAD_KEY] for m in messages if "custom" in m), {})
        self.wait_until = info.get("ends_at") or 0.0
        return [m["text"] for m in messages if "text" in m], info


@pytest.fixture(scope="session")
def issue_token() -> Callable[..., str]:
    """`issue_token(servers, conversation, persona, name, mode="practice")`: a chat token."""
    return chat_token


@pytest.fixture(scope="session")
def new_trainee() -> Callable[..., Trainee]:
    """`new_trainee(servers, persona, name=..., mode=...)`: a trainee in a new conversation."""
    return Trainee


@pytest.fixture(scope="session")
def session_report() -> Callable[[str, str], dict[str, Any] | None]:
    """`session_report(database_url, conversation_id)`: the logged session as the reports show it
    (None: not logged)."""

    def report(url: str, sender: str) -> dict[str, Any] | None:
        with Session(store.create_db_engine(url), future=True) as db:
            session = store.find_session(db, sender)
            return None if session is None else report_of(session)

    return report
