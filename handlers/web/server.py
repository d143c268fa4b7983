"""Serving the web application with gunicorn: several processes of threaded workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from handlers.web.metrics import forget_process
from handlers.web.routes import Wsgi


class _Gunicorn(BaseApplication):
    def __init__(self, load_app: Callable[[], Wsgi], options: dict[str, Any]) -> None:
        self._load_app = load_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Wsgi:
        # Called in each worker after the fork, so that no database pool is shared.
        return self._load_app()


def serve_http(
    load_app: Callable[[], Wsgi],
    port: int,
    workers: int,
    threads: int,
    on_exit: Callable[[], None] | None = None,
) -> None:
    """Run gunicorn with `workers` processes of `threads` threads each, until stopped; then
    `on_exit`. A web process that ends takes its metrics with it."""
    _Gunicorn(
        load_app,
        {
            "bind": f"0.0.0.0:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "verkosto-web",
            "child_exit": lambda _server, worker: forget_process(worker.pid),
            "on_exit": lambda _server: on_exit() if on_exit else None,
        },
    ).run()
