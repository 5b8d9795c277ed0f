"""Print a logged session: `python scripts/session_report.py SENDER_ID [--format json|text]`.

Shows the persona (and the exact version played), trainee, mode, start and end, outcome and every
turn with speaker, text and server timestamp.
"""

import argparse
import json
import sys

from sqlalchemy.orm import Session

import _project  # noqa: F401
from actions import storage
from actions.settings import load_settings


def as_text(report: dict) -> str:
    persona = report["persona"]
    lines = [
        f"Session {report['sender_id']}: {persona['name']} ({persona['id']}, "
        f"{persona['temperament']}), trainee {report['trainee'] or '-'}, {report['mode']} mode",
        f"Started {report['started_at']}, ended {report['ended_at'] or '-'}, "
        f"outcome {report['outcome'] or 'in progress'}",
        "",
    ]
    for turn in report["turns"]:
        acts = ", ".join(a["act"] for a in turn["acts"] or [])
        lines.append(f"{turn['timestamp']}  {turn['speaker']:>8}: {turn['text']}"
                     + (f"  [{acts}]" if acts else ""))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sender_id", help="the conversation id (Rasa sender id)")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    args = parser.parse_args(argv)
    engine = storage.create_db_engine(load_settings().database_url)
    with Session(engine, future=True) as db:
        session = storage.find_session(db, args.sender_id)
        if session is None:
            print(f"No session with sender id {args.sender_id!r} in the database.", file=sys.stderr)
            return 1
        report = storage.session_report(session)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(as_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
