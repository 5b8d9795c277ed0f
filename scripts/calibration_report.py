"""Score the calibration suite (`extramile calibration-report`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["calibration-report", *sys.argv[1:]]))
