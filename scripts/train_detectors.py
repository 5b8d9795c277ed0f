"""Train the detectors' models (`extramile train-detectors`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["train-detectors", *sys.argv[1:]]))
