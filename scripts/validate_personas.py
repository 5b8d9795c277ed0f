"""Check persona files (`extramile validate-personas`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["validate-personas", *sys.argv[1:]]))
