"""Make an account (`extramile add-user`): the code is in `extramile/cli/`."""

import sys

from extramile.cli import main

sys.exit(main(["add-user", *sys.argv[1:]]))
