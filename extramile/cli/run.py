"""Start Extra Mile: the action server, the Rasa server and the web app, until Ctrl-C stops them.

`make run` calls this after setting up and training. It migrates the database before any server
starts, so the web app finds its tables (the action server checks again as it starts, for when it
is run on its own). Ports and the database come from the settings (`.env`). A server that stops is
started again after a short pause while the others keep running; without SECRET_KEY in the
settings, the servers share a random key made for this run.
"""

from __future__ import annotations

import argparse
import signal
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extramile.devserver import Services
from extramile.settings import load_settings
from extramile.store import User, create_db_engine, migrate

FIRST_ADMIN = (
    "There are no accounts yet: make the first admin in another terminal with\n"
    "  .venv/bin/extramile add-user admin --role admin\n"
    "then sign in and make the trainees' accounts on the trainer page."
)


def has_accounts(database_url: str) -> bool:
    with Session(create_db_engine(database_url), future=True) as db:
        return bool(db.execute(select(func.count()).select_from(User)).scalar_one())


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="extramile run", description=__doc__).parse_args(argv)
    settings = load_settings()
    migrate(settings.database_url)
    services = Services(settings)
    if services.generated_secret_key:
        print(
            "SECRET_KEY is not set (see .env.example): using a random key until the servers stop, "
            "so sign-ins and chat tokens will not outlive this run.",
            file=sys.stderr,
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        services.start()
        print(
            "\nExtra Mile is running.\n"
            f"  Open the trainee page: {services.web_url}\n"
            f"  Rasa server:   {services.rasa_url}  (REST: {services.rasa_url}/webhooks/rest/webhook)\n"
            f"  Action server: {services.action_url}\n"
            "  Chat in the terminal:  .venv/bin/extramile chat --persona bill-shock-aggressive --user NAME\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        if not has_accounts(settings.database_url):
            print(FIRST_ADMIN, flush=True)
        services.supervise()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        services.stop()
