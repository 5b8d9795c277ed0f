"""Measure the detectors against gold labels (`extramile evaluate`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["evaluate", *sys.argv[1:]]))
