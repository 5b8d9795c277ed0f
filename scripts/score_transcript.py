"""Score a chat transcript from a JSON file (`extramile score-transcript`): see `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["score-transcript", *sys.argv[1:]]))
