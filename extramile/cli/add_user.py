"""Make an account: `extramile add-user NAME --role admin|trainer|trainee`.

The first admin is made this way; after that, trainers make trainee accounts on the trainer page
and admins make any account there. The password is asked for twice (or read from standard input
with --password-stdin, for scripts), never taken from the command line, where `ps` would show it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from sqlalchemy.orm import Session

from extramile import accounts, store
from extramile.settings import load_settings


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Same password again: ") != first:
        raise accounts.AccountError("The two passwords differ.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile add-user", description=__doc__)
    parser.add_argument("username")
    parser.add_argument("--role", choices=accounts.ROLES, default="trainee")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    parser.add_argument("--reset", action="store_true", help="set a new password for an existing account")
    args = parser.parse_args(argv)
    settings = load_settings()
    store.migrate(settings.database_url)
    try:
        password = _password(args.password_stdin)
        with Session(store.create_db_engine(settings.database_url), future=True) as db, db.begin():
            existing = accounts.find_user(db, args.username)
            if args.reset:
                if existing is None:
                    raise accounts.AccountError(f"There is no account '{args.username}' to reset.")
                accounts.set_password(db, existing, password)
            else:
                accounts.create_user(db, args.username, password, args.role, time.time())
    except accounts.AccountError as problem:
        print(f"extramile add-user: {problem}", file=sys.stderr)
        return 2
    print(
        f"Account '{args.username}' is ready{' with its new password' if args.reset else f' ({args.role})'}."
    )
    return 0
