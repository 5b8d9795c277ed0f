"""Print a logged session: `extramile report SENDER_ID [--format json|text]`.

Shows the persona (and the exact version played), trainee, mode, start and end, outcome and every
message with speaker, text and server time; as JSON, also the turns and the scorecard (the same
object the web API sends, documented in docs/scorecard.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy.orm import Session

from extramile import store
from extramile.settings import load_settings
from extramile.store.reports import session_report


def printable(text: str) -> str:
    """Trainee text with control characters shown as escapes: an ANSI sequence a trainee typed
    must not reach the trainer's terminal as a command."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def as_text(report: dict[str, Any]) -> str:
    persona = report["persona"]
    lines = [
        f"Session {report['sender_id']}: {persona['name']} ({persona['id']}, "
        f"{persona['temperament']}), trainee {printable(report['trainee'] or '-')}, {report['mode']} mode",
        f"Started {report['started_at']}, ended {report['ended_at'] or '-'}, "
        f"outcome {report['outcome'] or 'in progress'}",
        "",
    ]
    for message in report["messages"]:
        acts = ", ".join(a["act"] for a in message["acts"] or [])
        said = f"{message['at']}  {message['speaker']:>8}: {printable(message['text'])}"
        lines.append(said + (f"  [{acts}]" if acts else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile report", description=__doc__)
    parser.add_argument("sender_id", help="the conversation id (Rasa sender id)")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    args = parser.parse_args(argv)
    engine = store.create_db_engine(load_settings().database_url)
    with Session(engine, future=True) as db:
        session = store.find_session(db, args.sender_id)
        if session is None:
            print(f"No session with sender id {args.sender_id!r} in the database.", file=sys.stderr)
            return 1
        report = session_report(session)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(as_text(report))
    return 0
