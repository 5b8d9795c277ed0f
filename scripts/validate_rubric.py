"""Check the scoring rubric (`extramile validate-rubric`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["validate-rubric", *sys.argv[1:]]))
