"""Helpers of the browser tests (conftest.py has the fixtures): the page at / in a real headless Chromium, Debian's
`chromium` package driven by Playwright (never a browser Playwright downloads itself), against the app served on a
free loopback port by werkzeug in a thread.

Screenshots of every step go to test-screenshots/ at the top of the checkout (FEECALC_SCREENSHOTS names another
folder); they are not committed.  Where Chromium or Playwright is missing the tests skip, saying which; under CI
(`CI` set, as .ci/run runs) they fail instead, since .ci/run installs both."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import threading
from pathlib import Path

CHROMIUM = os.environ.get("FEECALC_CHROMIUM", "/usr/bin/chromium")
# Playwright gives each launch a fresh temporary --user-data-dir of its own; without the background-networking flags
# Chromium's own connections are refused by a closed network and slow it down
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("FEECALC_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "test-screenshots")


def unavailable() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium chromium-driver)"
    return None


class Server:
    """The app on 127.0.0.1 and a free port, served from a thread until closed."""

    def __init__(self, config: dict | None = None):
        from werkzeug.serving import make_server

        from feecalc_api import create_app

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

        self.app = create_app(config)
        self.httpd = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.thread.join(10)


def shot(pg, test: str, step: str) -> Path:
    """Save a full-page screenshot of one step as <test>-<step>.png for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test)}-{step}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
