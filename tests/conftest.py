"""Fixtures: a database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), a frozen clock,
the Web API stand-in, and the real Bolt app driven with signed requests."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FrozenClock
from bot.domain import Role
from bot.services import Services
from bot.services.importer import bundled_networks
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.slack.app import build_app
from handlers.slack.client import API_TIMEOUT_SECONDS, web_client
from handlers.slack.courier import slack_courier
from handlers.slack.standin.driver import Driver, in_process
from handlers.slack.standin.model import BOT_TOKEN, TEAM_ID
from handlers.slack.standin.server import WebApiStandIn
from handlers.slack.tokens import profile_reader
from storage.database import Database
from storage.migrate import upgrade
from storage.models import Base
from tests.support import (
    ADMIN,
    COORDINATOR,
    MEMBER,
    OUTSIDER,
    SIGNING_SECRET,
    Slack,
    add_people,
    as_actor,
    raw_broadcasts,
)

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
PUBLIC_URL = "https://verkosto.example.fi"
ROOT_DATA = Path(__file__).parent.parent / "bot" / "data" / "networks.json"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="verkosto-tests-") as scratch:
        yield f"sqlite:///{Path(scratch) / 'tests.db'}"


@pytest.fixture(scope="session")
def migrated(database_url: str) -> Iterator[Database]:
    """The test database, emptied and migrated to head once per run."""
    database = Database(database_url)
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(database)
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as connection:
        if database.is_sqlite:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
        else:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(migrated: Database) -> Iterator[Database]:
    yield migrated
    _empty(migrated)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture(scope="session")
def running_standin() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as standin:
        yield standin


@pytest.fixture
def standin(running_standin: WebApiStandIn, clock: FrozenClock) -> Iterator[WebApiStandIn]:
    """The stand-in with the test people and channels, stamping messages by the tests' clock;
    no raw broadcast may reach it."""
    running_standin.reset()
    running_standin.forget_installs()
    running_standin.clock = lambda: clock.now().timestamp()
    running_standin.users.clear()
    running_standin.channels.clear()
    running_standin.on_channel_join = None
    add_people(running_standin)
    yield running_standin
    assert raw_broadcasts(running_standin) == []


@pytest.fixture
def settings(standin: WebApiStandIn, database_url: str) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
        verkosto_public_url=PUBLIC_URL,
        # Updates follow every click at once; tests/test_outbox.py shows the spacing.
        verkosto_refresh_seconds=0,
        _env_file=None,
    )


@pytest.fixture
def services(settings: Settings, db: Database, clock: FrozenClock) -> Services:
    return Services.build(settings, db, clock)


@pytest.fixture
def client_timeout() -> float:
    """How long the app waits on Slack; the fault suite makes it short."""
    return API_TIMEOUT_SECONDS


@pytest.fixture
def slack(
    settings: Settings, services: Services, standin: WebApiStandIn, client_timeout: float
) -> Iterator[Slack]:
    # No backoff between retries: tests do not wait on the clock.
    client = web_client(settings, backoff=0, timeout=client_timeout)
    app = build_app(
        settings, services, client=client, background=InThisProcess(ImmediateExecutor())
    )
    # The worker's client: Slack's refusals go back to the outbox and the profile refresh.
    worker_client = web_client(settings, retries=False, timeout=client_timeout)
    courier = slack_courier(settings, services, worker_client)
    driver = Driver(in_process(app), standin, SIGNING_SECRET)
    profiles = profile_reader(courier.clients, services)
    slack = Slack(driver, standin, services, courier.deliver, profiles)
    # Bolt asks auth.test who the bot is on its first request; a running process already knows.
    slack.driver.command(ADMIN, "help")
    standin.reset()
    # An answer lost to a timeout is held until the app has stopped waiting for it.
    held = standin.hold_seconds
    standin.hold_seconds = client_timeout + 0.5
    yield slack
    standin.hold_seconds = held


def deliver_queued(settings: Settings, services: Services) -> None:
    """Send what the setting-up queued (people told of their roles), as the worker would."""
    courier = slack_courier(settings, services, web_client(settings, retries=False))
    services.outbox.drain(courier.deliver)


@pytest.fixture
def directory(services: Services, standin: WebApiStandIn, settings: Settings) -> Services:
    """The real networks imported, with a coordinator, a member and a workspace admin known.

    Aino coordinates the national foresight network, which is linked to #ennakointi; Mikko is a
    member of it. Olli is a workspace admin. Sara belongs to nothing.
    """
    report = services.importer.run(TEAM_ID, bundled_networks())
    assert report.ok, report.rejections
    admin = as_actor(services, standin, ADMIN)
    for person in (COORDINATOR, MEMBER, OUTSIDER):
        as_actor(services, standin, person)
    slug = "kansallinen-ennakointiverkosto"
    editable = services.networks.editable(admin, slug)
    services.networks.update(
        admin, editable.network_id, {**editable.form.model_dump(), "channel_id": "C0ENNAKOINTI"}
    )
    services.memberships.set_role(admin, slug, COORDINATOR, Role.COORDINATOR)
    services.memberships.set_role(admin, slug, MEMBER, Role.MEMBER)
    deliver_queued(settings, services)
    standin.reset()
    return services
