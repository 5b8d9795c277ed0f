"""Run the web app: `python -m web` (BIND_HOST and WEB_PORT from the settings: 127.0.0.1:8000)."""

from extramile.settings import load_settings
from web.app import create_app

if __name__ == "__main__":
    settings = load_settings()
    create_app(settings).run(host=settings.bind_host, port=settings.web_port, access_log=False)
