"""Serving the Slack app: gunicorn (threaded workers) over HTTP, or Socket Mode.

The WSGI application answers `POST /slack/events` (commands, interactivity, events) through
Bolt's WSGI adapter, `GET /healthz` (the process answers and reaches the database), `GET /readyz`
(and the database is migrated to head), `GET /metrics` (the outbox, for Prometheus) and
`GET /calendar/...` with networks' calendar feeds and single events' `.ics` files.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.services.calendars import CalendarService
from bot.services.outbox import Backlog
from handlers.slack.after_response import AfterResponse, ReleasedOnClose
from handlers.slack.background import WaitingWork
from handlers.slack.metrics import forget_process, metrics_registry, publish_answers

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
CALENDAR_PREFIX = "/calendar/"
# /calendar/<token>.ics is a network's feed; /calendar/<token>/<event id>.ics one event.
CALENDAR_PATH = re.compile(r"^/calendar/([A-Za-z0-9_-]{16,64})(?:/([0-9]{1,12}))?\.ics$")
FEED_CACHE_SECONDS = 300

requests_log = logging.getLogger("verkosto.requests")

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _calendar_file(calendars: CalendarService, path: str) -> tuple[bytes | None, str]:
    """The feed or the event file at `path`, and how to offer it; None for any other path."""
    matched = CALENDAR_PATH.match(path)
    if matched is None:
        return None, ""
    token, event_id = matched.groups()
    if event_id is None:
        return calendars.feed(token), 'inline; filename="calendar.ics"'
    return calendars.event_file(
        token, int(event_id)
    ), f'attachment; filename="event-{event_id}.ics"'


def _calendar(calendars: CalendarService, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """The HTTP answer for a calendar address: the same 404 for every one that is not served."""
    body, disposition = _calendar_file(calendars, path)
    if body is None:
        return "404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"not found\n"
    headers = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Disposition", disposition),
        ("Cache-Control", f"max-age={FEED_CACHE_SECONDS}"),
    ]
    return "200 OK", headers, body


def _json(start_response: Callable[..., Any], ok: bool, state: str) -> list[bytes]:
    body = json.dumps({"status": state if ok else "unavailable"}).encode()
    status = "200 OK" if ok else "503 Service Unavailable"
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def wsgi_app(
    app: App | None,
    healthy: Callable[[], bool],
    background: AfterResponse | None = None,
    calendars: CalendarService | None = None,
    ready: Callable[[], bool] | None = None,
    backlog: Callable[[], Backlog] | None = None,
    answers: Callable[[], WaitingWork] | None = None,
) -> Wsgi:
    """The routes of `verkosto serve`; anything else is a 404.

    With `background` (the app's executor for work after the ack), that work starts only once
    the ack has been sent. With `calendars`, feeds and event files are served; with `ready`,
    `GET /readyz`; with `backlog`, `GET /metrics`, which also shows `answers`, the work waiting
    for the after-ack process. Without `app` (the demo's calendar server),
    Slack's path is not served. Each request is logged on one line: method, path, status and
    milliseconds, nothing of what it carried.
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH) if app is not None else None
    registry = metrics_registry(backlog, answers)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        reading = environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        if path == HEALTH_PATH and reading:
            return _json(start_response, healthy(), "ok")
        if path == READY_PATH and reading and ready is not None:
            return _json(start_response, ready(), "ready")
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
            status, headers, body = _calendar(calendars, path)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            return [body]
        if slack is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        if background is None:
            return slack(environ, start_response)
        background.hold()
        try:
            return ReleasedOnClose(slack(environ, start_response), background.release)
        except BaseException:
            background.release()
            raise

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
    """The path, without a calendar feed's token (it grants access)."""
    return CALENDAR_PREFIX + "…" if path.startswith(CALENDAR_PREFIX) else path[:100]


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


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect to Slack over a WebSocket instead of listening for HTTP."""
    SocketModeHandler(app, app_token).start()
