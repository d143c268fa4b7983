"""The WSGI application of `verkosto serve`: each platform's path, and beside them `GET /healthz`
(the process answers and reaches the database), `GET /readyz` (and the database is migrated to
head), `GET /metrics` (the outbox, for Prometheus) and the calendars."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.services.calendars import CalendarService
from bot.services.handed_files import HandedFileService
from bot.services.outbox import Backlog
from handlers.web.calendar import CALENDAR_PREFIX, calendar_answer
from handlers.web.files import FILES_PREFIX, file_answer
from handlers.web.metrics import WaitingWork, metrics_registry, publish_answers

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"

requests_log = logging.getLogger("verkosto.requests")

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _json(
    start_response: Callable[..., Any],
    ok: bool,
    state: str,
    details: Mapping[str, str] | None = None,
) -> list[bytes]:
    answer: dict[str, Any] = {"status": state if ok else "unavailable"}
    if details:
        answer["details"] = dict(details)
    body = json.dumps(answer).encode()
    status = "200 OK" if ok else "503 Service Unavailable"
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def web_app(
    platforms: Mapping[str, Wsgi],
    healthy: Callable[[], bool],
    calendars: CalendarService | None = None,
    ready: Callable[[], bool] | None = None,
    backlog: Callable[[], Backlog] | None = None,
    answers: Callable[[], WaitingWork] | None = None,
    files: HandedFileService | None = None,
    directory: Wsgi | None = None,
    details: Callable[[], Mapping[str, str]] | None = None,
) -> Wsgi:
    """The routes of `verkosto serve`; anything else goes to the public `directory` when it is
    on, and is a 404 otherwise.

    `platforms` maps each platform's path to its application. With `calendars`, feeds and event
    files are served; with `files`, the files handed to people as links; with `ready`,
    `GET /readyz`, which also shows `details` (how the process runs, such as which analyser
    reads Finnish); with `backlog`, `GET /metrics`, which also shows `answers`, the work waiting
    for the after-ack process. Each request is logged on one line: method, path, status and
    milliseconds, nothing of what it carried.
    """
    registry = metrics_registry(backlog, answers)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        reading = environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        if path == HEALTH_PATH and reading:
            return _json(start_response, healthy(), "ok")
        if path == READY_PATH and reading and ready is not None:
            return _json(start_response, ready(), "ready", details() if details else None)
        if path == METRICS_PATH and reading and backlog is not None:
            if answers is not None:
                publish_answers(answers)
            body = generate_latest(registry)
            start_response(
                "200 OK",
                [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(body)))],
            )
            return [body]
        if path.startswith(CALENDAR_PREFIX) and calendars is not None and reading:
            status, headers, body = calendar_answer(calendars, path)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            return [body]
        if path.startswith(FILES_PREFIX) and files is not None and reading:
            status, headers, body = file_answer(files, path)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            return [body]
        platform = platforms.get(path)
        if platform is None and directory is not None:
            return directory(environ, start_response)
        if platform is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        return platform(environ, start_response)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        began = time.perf_counter()
        answered: list[str] = []

        def noted(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            answered.append(status.split(" ", 1)[0])
            return start_response(status, headers, *rest)

        try:
            return route(environ, noted)
        finally:
            requests_log.info(
                json.dumps(
                    {
                        "method": environ.get("REQUEST_METHOD"),
                        "path": _logged_path(environ.get("PATH_INFO", "")),
                        "status": int(answered[0]) if answered else 500,
                        "ms": round((time.perf_counter() - began) * 1000, 1),
                    }
                )
            )

    return application


def _logged_path(path: str) -> str:
    """The path, without a calendar feed's or a file's token (they grant access)."""
    for secret in (CALENDAR_PREFIX, FILES_PREFIX):
        if path.startswith(secret):
            return secret + "…"
    return path[:100]
