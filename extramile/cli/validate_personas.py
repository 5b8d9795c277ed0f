"""Check persona files: `extramile validate-personas [FILE ...]` (default: all personas).

Prints one line per problem as `file:line: field: message` and exits 1 if any file is invalid,
so a trainer can fix a persona before anyone plays it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extramile.personas import load_personas, persona_files
from extramile.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile validate-personas", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="persona YAML files (default: all)")
    args = parser.parse_args(argv)
    paths = args.files or persona_files(load_settings().personas_dir)
    if not paths:
        print("No persona files found.", file=sys.stderr)
        return 1
    personas, problems = load_personas(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    bad_files = len({p.path for p in problems})
    print(f"{len(personas)} valid persona(s), {bad_files} invalid file(s).")
    return 1 if problems else 0
