"""Bring the database schema up to date (`extramile migrate`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["migrate", *sys.argv[1:]]))
