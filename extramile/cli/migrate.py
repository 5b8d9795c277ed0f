"""Bring the database schema up to date: `extramile migrate` (DATABASE_URL from the settings)."""

from __future__ import annotations

import argparse

from extramile.settings import load_settings
from extramile.store import migrate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile migrate", description=__doc__)
    parser.add_argument("--url", help="the database (default: DATABASE_URL)")
    args = parser.parse_args(argv)
    url = args.url or load_settings().database_url
    migrate(url)
    print("The database schema is up to date.")
    return 0
