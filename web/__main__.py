"""Run the web app: `python -m web` (port from the settings: WEB_PORT, default 8000)."""

from extramile.settings import load_settings
from web.app import create_app

if __name__ == "__main__":
    settings = load_settings()
    create_app(settings).run(host="0.0.0.0", port=settings.web_port, access_log=False)
