"""Start Extra Mile: the action server, the Rasa server and the web app, until Ctrl-C stops them.

`make run` calls this after setting up and training. It migrates the database before any server
starts, so the web app finds its tables (the action server checks again as it starts, for when it
is run on its own). Ports and the database come from the settings (`.env`).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from extramile.devserver import Services
from extramile.settings import load_settings
from extramile.store import migrate


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="extramile run", description=__doc__).parse_args(argv)
    settings = load_settings()
    migrate(settings.database_url)
    services = Services(settings)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        services.start()
        print(
            "\nExtra Mile is running.\n"
            f"  Open the trainee page: {services.web_url}\n"
            f"  Rasa server:   {services.rasa_url}  (REST: {services.rasa_url}/webhooks/rest/webhook)\n"
            f"  Action server: {services.action_url}\n"
            "  Chat in the terminal:  .venv/bin/extramile chat --persona bill-shock-aggressive\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while all(p.poll() is None for p in services.processes.values()):
            time.sleep(1)
        print("A server stopped; shutting down the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        services.stop()
