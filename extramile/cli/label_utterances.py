"""Label agent messages from JSON lines with the detectors: `extramile label [--input F] [--output F]`.

Input, one object a line: {"id", "text", "context": [{"speaker": "customer"|"agent", "text"}, ...]}
(context oldest first). Output, one line per good input line:
{"id", "question", "reflection", "apology", "argue"}.

A bad input line is reported on stderr with its line number and skipped; every good line is still
labelled and written, and the exit status is 1 if any line was skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO

from extramile.cli.common import load_labeller
from extramile.detectors import ContextMessage, Labeller
from extramile.settings import load_settings


def parse_line(line: str) -> tuple[str, str, list[ContextMessage]]:
    """The id, text and context of one input line; ValueError says what is wrong."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object")
    if "id" not in row:
        raise ValueError('missing "id"')
    if not isinstance(row.get("text"), str):
        raise ValueError('"text" must be a string')
    context = row.get("context", [])
    if not isinstance(context, list):
        raise ValueError('"context" must be a list')
    messages = []
    for position, item in enumerate(context):
        if (
            not isinstance(item, dict)
            or item.get("speaker") not in ("customer", "agent")
            or not isinstance(item.get("text"), str)
        ):
            raise ValueError(f'context[{position}] must be {{"speaker": "customer"|"agent", "text": string}}')
        messages.append(ContextMessage(item["speaker"], item["text"]))
    return row["id"], row["text"], messages


def label_lines(labeller: Labeller, lines: IO[str], errors: IO[str]) -> Iterator[dict]:
    """Labelled rows for the good lines; each bad line reported to `errors`."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            utterance_id, text, context = parse_line(line)
        except ValueError as problem:
            print(f"line {number}: {problem}; skipped", file=errors)
            yield {"_error": number}
            continue
        yield {"id": utterance_id, **labeller.label_message(text, context).as_row()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="extramile label",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--input", help="JSON-lines file to read (default: stdin)")
    parser.add_argument("--output", help="JSON-lines file to write (default: stdout)")
    args = parser.parse_args(argv)
    labeller = load_labeller(load_settings())
    source = open(args.input, encoding="utf-8") if args.input else sys.stdin  # noqa: SIM115
    sink = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    bad = 0
    try:
        for row in label_lines(labeller, source, sys.stderr):
            if "_error" in row:
                bad += 1
                continue
            sink.write(json.dumps(row) + "\n")
    finally:
        if args.input:
            source.close()
        if args.output:
            sink.close()
    if bad:
        print(f"{bad} line(s) skipped", file=sys.stderr)
    return 1 if bad else 0
