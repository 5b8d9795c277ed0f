"""Label agent messages with the detectors (`extramile label`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["label", *sys.argv[1:]]))
