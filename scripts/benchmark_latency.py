"""Measure training time and turn latency (`extramile benchmark-latency`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["benchmark-latency", *sys.argv[1:]]))
