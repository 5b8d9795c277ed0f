"""Practise in the terminal (`extramile chat`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["chat", *sys.argv[1:]]))
