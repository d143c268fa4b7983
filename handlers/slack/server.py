"""Serving the Slack app: its path in `verkosto serve`'s web application, or Socket Mode."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.services.calendars import CalendarService
from bot.services.outbox import Backlog
from handlers.after_response import AfterResponse, held_until_answered
from handlers.web.metrics import WaitingWork
from handlers.web.routes import Wsgi, web_app

EVENTS_PATH = "/slack/events"


def slack_route(app: App, background: AfterResponse | None = None) -> Wsgi:
    """`POST /slack/events` (commands, interactivity, events) through Bolt's WSGI adapter. With
    `background` (the app's executor for work after the ack), that work starts only once the
    ack has been sent."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    if background is None:
        return slack
    return held_until_answered(slack, background)


def slack_routes(app: App, background: AfterResponse | None = None) -> dict[str, Wsgi]:
    """Slack's paths: events, and where workspaces install the app (OAuth v2), the install
    link and Slack's redirect back."""
    routes = {EVENTS_PATH: slack_route(app, background)}
    if app.oauth_flow is not None:
        installing = SlackRequestHandler(app, path=EVENTS_PATH)
        routes[app.oauth_flow.install_path] = installing
        routes[app.oauth_flow.redirect_uri_path] = installing
    return routes


def wsgi_app(
    app: App | None,
    healthy: Callable[[], bool],
    background: AfterResponse | None = None,
    calendars: CalendarService | None = None,
    ready: Callable[[], bool] | None = None,
    backlog: Callable[[], Backlog] | None = None,
    answers: Callable[[], WaitingWork] | None = None,
) -> Wsgi:
    """`verkosto serve`'s web application with Slack's path; without `app` (the demo's calendar
    server), only the shared routes."""
    platforms = slack_routes(app, background) if app is not None else {}
    return web_app(platforms, healthy, calendars, ready, backlog, answers)


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect to Slack over a WebSocket instead of listening for HTTP."""
    SocketModeHandler(app, app_token).start()
