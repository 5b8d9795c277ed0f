"""Train the arguing classifier (`extramile train-classifier`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["train-classifier", *sys.argv[1:]]))
