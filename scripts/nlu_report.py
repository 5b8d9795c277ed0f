"""NLU cross-validation per intent (`extramile nlu-report`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["nlu-report", *sys.argv[1:]]))
