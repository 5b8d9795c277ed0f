"""Re-score stored sessions (`extramile rescore`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["rescore", *sys.argv[1:]]))
