"""`verkosto demo --platform teams`: the real app, a stand-in Bot Connector and embedded SQLite,
in the terminal."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from bot import worker
from bot.clock import MovableClock
from bot.domain import Platform
from bot.i18n import Translator
from bot.platforms import ServedPlatforms
from bot.services import Services
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.teams.app import teams_route
from handlers.teams.auth import ActivityAuth
from handlers.teams.demo.seed import APP_ID, TENANT, seed
from handlers.teams.demo.session import TeamsDemoSession
from handlers.teams.runtime import TeamsRuntime
from handlers.teams.standin.connector import ConnectorStandIn
from handlers.teams.standin.driver import TeamsDriver, in_process
from handlers.terminal import Console
from storage.database import Database
from storage.migrate import upgrade

SECRET = "demo-app-secret"


def run_teams_demo(settings: Settings, language: str, database_path: str | None = None) -> None:
    """Run a demo tenant on stdin and stdout until the input ends or `:quit`."""
    for name in ("", "alembic", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with (
        tempfile.TemporaryDirectory(prefix="verkosto-demo-") as scratch,
        ConnectorStandIn(APP_ID, SECRET) as connector,
    ):
        path = Path(database_path) if database_path else Path(scratch) / "demo.db"
        demo_settings = settings.model_copy(
            update={
                "teams_client_id": APP_ID,
                "teams_client_secret": SECRET,
                "teams_keys_url": connector.keys_url,
                "teams_token_url": connector.token_url,
                "database_url": f"sqlite:///{path}",
                "verkosto_language": language,
                "verkosto_secret": "demo-ballots",
                "verkosto_refresh_seconds": 0,
            }
        )
        database = Database(demo_settings.database_url)
        upgrade(database)
        clock = MovableClock()
        services = Services.build(demo_settings, database, clock)
        runtime = TeamsRuntime(
            demo_settings, services, background=InThisProcess(ImmediateExecutor())
        )
        route = teams_route(runtime, ActivityAuth(APP_ID, connector.keys_url))
        driver = TeamsDriver(connector, in_process(route), TENANT)
        people = seed(services, connector, driver)
        worker.configure(services, ServedPlatforms.one(Platform.TEAMS, runtime.courier.deliver))
        # What setting up the tenant queued (people told of their roles) was sent before.
        worker.send_outbox()
        connector.reset()
        console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
        t = Translator(language, settings.verkosto_timezone)
        TeamsDemoSession(connector, driver, people, console, t, clock).run()
        database.dispose()
