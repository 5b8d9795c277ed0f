"""Score a chat transcript from a JSON file: `extramile score-transcript FILE [--rubric FILE]`.

Prints the scorecard JSON, the same object as `"scorecard"` in `extramile report ID --format
json` (docs/scorecard.md), so trainers can score real chat logs with the product's own scorer; no
server is needed. The file format is in `extramile/transcript_file.py`: the persona, the mode,
the outcome and the messages with who sent them, their text and their time. Agent messages
without `acts` are read by the trained NLU model, loaded in this process. A bad file gets a
message naming the message index and field, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extramile.cli.common import load_labeller
from extramile.cli.nlu import RasaActs
from extramile.files import FileError
from extramile.personas import PersonaCatalogue
from extramile.scoring import load_rubric
from extramile.scoring.scorer import Scorer
from extramile.settings import load_settings
from extramile.transcript_file import TranscriptFileError, load_transcript_file, to_transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="extramile score-transcript",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, help="the transcript (JSON)")
    parser.add_argument("--rubric", type=Path, help="the rubric (default: RUBRIC_FILE, rubric.yml)")
    args = parser.parse_args(argv)
    settings = load_settings()
    try:
        file = load_transcript_file(args.file)
        rubric = load_rubric(args.rubric or settings.rubric_file)
    except (TranscriptFileError, FileError) as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    loaded = PersonaCatalogue(settings.personas_dir).personas().get(file.persona)
    if loaded is None:
        print(
            f"{args.file}: persona: no persona '{file.persona}' in {settings.personas_dir}", file=sys.stderr
        )
        return 2
    needs_nlu = any(m.speaker == "agent" and m.acts is None for m in file.messages)
    reader = RasaActs(settings.rasa_model) if needs_nlu else None
    try:
        transcript = to_transcript(file, loaded.persona, reader)
    except TranscriptFileError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    scorer = Scorer(rubric, load_labeller(settings))
    scorecard = scorer.score(transcript, [reader.model_id] if reader else [])
    print(json.dumps(scorecard.json_dict(), indent=2, ensure_ascii=False))
    return 0
