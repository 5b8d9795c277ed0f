"""Start every server (`extramile run`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["run", *sys.argv[1:]]))
