"""`verkosto demo`: the real app, a stand-in Slack and embedded SQLite, in the terminal."""

from __future__ import annotations

import logging
import secrets
import sys
import tempfile
from pathlib import Path

from bot.demo.seed import populate, seed
from bot.demo.session import Console, DemoSession
from bot.i18n import Translator
from bot.services import Services
from bot.settings import Settings
from handlers.slack.app import build_app
from handlers.slack.background import InThisProcess
from handlers.slack.standin.driver import Driver, ImmediateExecutor, in_process
from handlers.slack.standin.server import BOT_TOKEN, WebApiStandIn
from storage.database import Database
from storage.migrate import upgrade


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
            }
        )
        database = Database(demo_settings.database_url)
        upgrade(database)
        services = Services.build(demo_settings, database)
        populate(standin)
        seed(services, standin)
        standin.reset()
        app = build_app(demo_settings, services, background=InThisProcess(ImmediateExecutor()))
        driver = Driver(in_process(app), standin, secret, command=settings.verkosto_command)
        console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
        t = Translator(language, settings.verkosto_timezone, command=settings.verkosto_command)
        DemoSession(standin, driver, console, t, settings.verkosto_command).run()
        database.dispose()
