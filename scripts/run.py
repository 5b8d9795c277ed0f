"""Start Extra Mile: the action server and the Rasa server, until Ctrl-C stops both.

`make run` calls this after setting up and training. Ports and the database come from `.env`.
"""

import os
import signal
import sys
import time

import _project  # noqa: F401
from actions import storage
from actions.settings import load_settings
from services import Services


def main() -> int:
    settings = load_settings()
    storage.migrate(settings.database_url)
    services = Services(
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        web_port=int(os.environ.get("WEB_PORT", "8000")),
        env={"DATABASE_URL": settings.database_url},  # endpoints.yml needs it, even unset
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        services.start()
        print(
            "\nExtra Mile is running.\n"
            f"  Open the trainee page: {services.web_url}\n"
            f"  Rasa server:   {services.rasa_url}  (REST: {services.rasa_url}/webhooks/rest/webhook)\n"
            f"  Action server: {services.action_url}\n"
            "  Chat in the terminal:  .venv/bin/python scripts/chat.py --persona bill-shock-aggressive\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while all(p.poll() is None for p in services.processes.values()):
            time.sleep(1)
        print("A server stopped; shutting down the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
