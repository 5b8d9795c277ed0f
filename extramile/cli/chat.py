"""Practise in the terminal: `extramile chat --persona ID [--trainee NAME]`.

Talks to a running Rasa server over REST, sends the session metadata with the first message, and
shows the customer's messages at the pace they type. Type /end to end the session (it is scored
as it stands) or /quit to leave it open.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from typing import Any

import requests

from extramile.protocol import PAYLOAD_KEY
from extramile.settings import load_settings


def send(url: str, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    response = requests.post(url, json={"sender": sender, "message": text, "metadata": metadata}, timeout=60)
    response.raise_for_status()
    return response.json()


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
    parser.add_argument("--trainee", default="terminal")
    parser.add_argument("--mode", choices=("practice", "assessment"), default="practice")
    parser.add_argument("--url", help="the REST webhook (default: the Rasa server of the settings)")
    args = parser.parse_args(argv)
    args.url = args.url or f"http://localhost:{load_settings().rasa_port}/webhooks/rest/webhook"
    sender = f"chat-{uuid.uuid4().hex[:12]}"
    metadata = {"persona": args.persona, "trainee": args.trainee, "mode": args.mode}
    print(f"Session {sender}. Type /end to end the session, /quit to leave it open.")
    try:
        show(send(args.url, sender, "/start_session", metadata))
        while True:
            text = input("you> ")
            if text.strip() == "/quit":
                return 0
            if text.strip() == "/end":
                show(send(args.url, sender, "/end_session", metadata))
                print(f"Your scorecard: .venv/bin/extramile report {sender}")
                return 0
            show(send(args.url, sender, text, metadata))
    except (EOFError, KeyboardInterrupt):
        return 0
    except requests.RequestException as error:
        print(f"Cannot reach the Rasa server at {args.url}: {error}", file=sys.stderr)
        return 1
