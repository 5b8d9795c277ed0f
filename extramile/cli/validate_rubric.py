"""Check the scoring rubric: `extramile validate-rubric [FILE]` (default: RUBRIC_FILE, rubric.yml).

Prints `file:line: field: message` for each problem and exits 1 if the rubric is invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extramile.files import FileError
from extramile.scoring import load_rubric
from extramile.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile validate-rubric", description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, help="the rubric (default: RUBRIC_FILE)")
    args = parser.parse_args(argv)
    path = args.file or load_settings().rubric_file
    try:
        rubric = load_rubric(path)
    except FileError as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # a trainer gets one line to act on, never a traceback
        print(f"{path}: (file): cannot be loaded: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"{path}: valid; {len(rubric.skills)} skills, overall pass mark {rubric.pass_mark:g}.")
    return 0
