"""Print a logged session (`extramile report`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["report", *sys.argv[1:]]))
