"""Practise in the terminal: `extramile chat --persona ID --user NAME`.

Signs in to the web app (POST /api/login), gets a conversation and its chat token there, then talks
to the Rasa server over REST with the token, and shows the customer's messages at the pace they
type. Each message carries its own id, so a resend never logs it twice. Type /end to end the
session (it is scored as it stands) or /quit to leave it open.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
import uuid
from typing import Any

import requests

from extramile.protocol import PAYLOAD_KEY
from extramile.settings import load_settings


class ChatClient:
    """A signed-in trainee's conversation: the web app for sign-in and tokens, Rasa for the chat."""

    def __init__(self, web_url: str, rest_url: str):
        self.web_url = web_url.rstrip("/")
        self.rest_url = rest_url
        self.http = requests.Session()
        self.csrf = ""
        self.conversation = ""
        self.token = ""

    def _web(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.http.post(
            self.web_url + path, json=body, headers={"X-CSRF-Token": self.csrf}, timeout=30
        )
        answer: dict[str, Any] = reply.json() if reply.content else {}
        if not reply.ok:
            raise SystemExit(f"The web app refused: {answer.get('error', reply.status_code)}")
        return answer

    def sign_in(self, username: str, password: str) -> None:
        answer = self._web("/api/login", {"username": username, "password": password})
        self.csrf = answer["csrf_token"]
        # The login cookie is Secure; over plain http on this machine, send it by hand.
        self.http.headers["Cookie"] = f"em_login={self.http.cookies.get('em_login', '')}"

    def start(self, persona: str, mode: str) -> None:
        answer = self._web("/api/conversations", {"persona": persona, "mode": mode})
        self.conversation, self.token = answer["conversation_id"], answer["token"]

    def send(self, text: str) -> list[dict[str, Any]]:
        body = {"sender": self.conversation, "message": text, "message_id": uuid.uuid4().hex}
        for _ in range(2):
            headers = {"Authorization": f"Bearer {self.token}"}
            reply = requests.post(self.rest_url, json=body, headers=headers, timeout=60)
            if reply.status_code != 401:
                break
            self.token = self._web("/api/chat-token", {"conversation_id": self.conversation})["token"]
        if reply.status_code >= 400:
            raise SystemExit(f"The chat server refused: {reply.json().get('error', reply.status_code)}")
        messages: list[dict[str, Any]] = reply.json()
        return messages


def show(messages: list[dict[str, Any]]) -> None:
    """Print each reply; customer messages wait for their scheduled arrival."""
    timing: dict[str, Any] = next(
        (
            m["custom"][PAYLOAD_KEY]
            for m in messages
            if isinstance(m.get("custom"), dict) and PAYLOAD_KEY in m["custom"]
        ),
        {},
    )
    arrivals = [m["at"] for m in timing.get("messages", [])]
    # Server times are read on the server's clock, whatever this computer's says.
    offset = timing.get("server_time", time.time()) - time.time()
    for i, message in enumerate(m for m in messages if "text" in m):
        if i < len(arrivals):
            time.sleep(max(0.0, arrivals[i] - offset - time.time()))
            print(f"customer> {message['text']}")
        else:
            print(message["text"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile chat", description=__doc__)
    parser.add_argument("--persona", required=True)
    parser.add_argument("--user", required=True, help="your user name (the password is asked for)")
    parser.add_argument("--mode", choices=("practice", "assessment"), default="practice")
    parser.add_argument("--url", help="the REST webhook (default: the Rasa server of the settings)")
    parser.add_argument("--web", help="the web app (default: the one of the settings)")
    args = parser.parse_args(argv)
    settings = load_settings()
    client = ChatClient(
        args.web or f"http://127.0.0.1:{settings.web_port}",
        args.url or f"{settings.rasa_url}/webhooks/rest/webhook",
    )
    try:
        client.sign_in(args.user, getpass.getpass(f"Password for {args.user}: "))
        client.start(args.persona, args.mode)
        print(f"Session {client.conversation}. Type /end to end the session, /quit to leave it open.")
        show(client.send("/start_session"))
        while True:
            text = input("you> ")
            if text.strip() == "/quit":
                return 0
            if text.strip() == "/end":
                show(client.send("/end_session"))
                print(f"Your scorecard: {client.web_url}/scorecard/{client.conversation}")
                return 0
            show(client.send(text))
    except (EOFError, KeyboardInterrupt):
        return 0
    except requests.RequestException as error:
        print(f"Cannot reach the web app or the Rasa server: {error}", file=sys.stderr)
        return 1
