"""Run the web app: `python -m web` (port from WEB_PORT, default 8000)."""

import os

from web.app import create_app

if __name__ == "__main__":
    create_app().run(host="0.0.0.0", port=int(os.environ.get("WEB_PORT", "8000")),
                     access_log=False)
