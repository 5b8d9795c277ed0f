"""Check the scoring rubric: `python scripts/validate_rubric.py [FILE]` (default: rubric.yml).

Prints `file:line: field: message` for each problem and exits 1 if the rubric is invalid.
"""

import argparse
import sys
from pathlib import Path

import _project  # noqa: F401
from actions.rubric import RUBRIC_FILE, load_rubric
from actions.yaml_files import FileError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=RUBRIC_FILE)
    args = parser.parse_args(argv)
    try:
        rubric = load_rubric(args.file)
    except FileError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    print(f"{args.file}: valid; {len(rubric.skills)} skills, overall pass mark {rubric.pass_mark:g}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
