"""A yardstick for `directory.py`: one file answered for every path, served exactly the way
`verkosto serve` serves (the same gunicorn settings and WSGI routes). `STATIC_FILE` names it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.settings import Settings
from handlers.web.routes import Wsgi, web_app
from handlers.web.server import serve_http


def static_app(path: Path) -> Wsgi:
    body = path.read_bytes()

    def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]

    return web_app({}, healthy=lambda: True, directory=answer)


if __name__ == "__main__":
    settings = Settings()
    served = Path(os.environ["STATIC_FILE"])
    serve_http(
        lambda: static_app(served), settings.port, settings.web_concurrency, settings.web_threads
    )
