"""Play the realism suite (`extramile realism-report`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["realism-report", *sys.argv[1:]]))
