"""`feecalc serve`: the HTTP API under gunicorn, with the bundled fee tables loaded before forking.

It lives with the web app (the library imports nothing from it): the CLI's `serve` command imports this module
only when run, and says which extra to install when the web dependencies are missing."""

from __future__ import annotations

import logging
import os
import sys

from gunicorn.app.base import BaseApplication

import feecalc
from feecalc.engine import compiled_table
from feecalc.errors import FeecalcError

from . import create_app


class _Server(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, access_log: bool = True) -> None:
    """Run the API until stopped.  Tables are loaded and compiled once, before the workers fork."""
    for table in feecalc.all_tables():
        compiled_table(table)
    if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get("FEECALC_API_KEYS"):
        print(f"feecalc serve: warning: listening on {host} without FEECALC_API_KEYS: anyone who can reach it "
              "can use it", file=sys.stderr)
    logging.basicConfig(level=logging.INFO if access_log else logging.WARNING, format="%(message)s",
                        stream=sys.stderr)
    options = {"bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
               "workers": workers or os.cpu_count() or 1, "worker_class": "sync", "preload_app": True,
               "timeout": 60, "graceful_timeout": 10, "accesslog": None, "errorlog": "-", "loglevel": "warning"}
    try:
        app = create_app()
    except ValueError as exc:  # a FEECALC_* setting that is not a number: say which, without a traceback
        raise FeecalcError(str(exc)) from None
    _Server(app, options).run()
