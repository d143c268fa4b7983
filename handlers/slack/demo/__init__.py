"""`verkosto demo`: the real app, a stand-in Slack and embedded SQLite, in the terminal."""

from __future__ import annotations

import logging
import secrets
import sys
import tempfile
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

from bot import worker
from bot.clock import MovableClock
from bot.domain import Platform
from bot.i18n import Translator
from bot.platforms import ServedPlatforms
from bot.services import Services
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.slack.app import build_app
from handlers.slack.client import web_client
from handlers.slack.courier import slack_courier
from handlers.slack.demo.seed import populate, seed
from handlers.slack.demo.session import DemoSession
from handlers.slack.markup import slack_markup
from handlers.slack.server import wsgi_app
from handlers.slack.standin.driver import Driver, in_process
from handlers.slack.standin.model import BOT_TOKEN
from handlers.slack.standin.server import WebApiStandIn
from handlers.slack.tokens import profile_reader
from handlers.terminal import Console
from storage.database import Database
from storage.migrate import upgrade


def _serve_calendars(services: Services) -> str:
    """Serve the calendar feeds on a local port for as long as the demo runs; their address."""
    application = wsgi_app(None, services.healthy, calendars=services.calendars)
    server = make_server("127.0.0.1", 0, application, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run_demo(settings: Settings, language: str, database_path: str | None = None) -> None:
    """Run a demo workspace on stdin and stdout until the input ends or `:quit`."""
    # The app logs to stderr; in the demo only its answers belong on screen.
    for name in ("", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with (
        tempfile.TemporaryDirectory(prefix="verkosto-demo-") as scratch,
        WebApiStandIn() as standin,
    ):
        path = Path(database_path) if database_path else Path(scratch) / "demo.db"
        secret = secrets.token_hex(16)
        demo_settings = settings.model_copy(
            update={
                "slack_bot_token": BOT_TOKEN,
                "slack_signing_secret": secret,
                "slack_app_token": None,
                "slack_api_url": standin.api_url,
                "database_url": f"sqlite:///{path}",
                "verkosto_language": language,
                # One person clicks at a time: every answer shows at once.
                "verkosto_refresh_seconds": 0,
            }
        )
        database = Database(demo_settings.database_url)
        upgrade(database)
        clock = MovableClock()
        standin.clock = lambda: clock.now().timestamp()
        services = Services.build(demo_settings, database, clock)
        populate(standin)
        seed(services, standin)
        demo_settings = demo_settings.model_copy(
            update={"verkosto_public_url": _serve_calendars(services)}
        )
        app = build_app(demo_settings, services, background=InThisProcess(ImmediateExecutor()))
        driver = Driver(in_process(app), standin, secret, command=settings.verkosto_command)
        client = web_client(demo_settings, retries=False)
        courier = slack_courier(demo_settings, services, client)
        profiles = profile_reader(courier.clients, services)
        served = ServedPlatforms.one(Platform.SLACK, courier.deliver, profiles)
        worker.configure(services, served)
        # What setting up the workspace queued (people told of their roles) was sent before.
        worker.send_outbox()
        standin.reset()
        console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
        t = Translator(
            language,
            settings.verkosto_timezone,
            command=settings.verkosto_command,
            markup=slack_markup,
        )
        DemoSession(standin, driver, console, t, settings.verkosto_command, clock).run()
        database.dispose()
