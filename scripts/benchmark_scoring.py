"""Measure scoring speed (`extramile benchmark-scoring`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["benchmark-scoring", *sys.argv[1:]]))
