"""Fixtures for Teams: the Bot Connector stand-in (which also signs activities and issues the
app's tokens), the real `/api/messages` route over the real services, and a driver that acts
as people in one tenant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from bot.clock import FrozenClock
from bot.domain import JoinPolicy, Platform, Role
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.importer import bundled_networks
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.teams.app import teams_route
from handlers.teams.auth import ActivityAuth
from handlers.teams.runtime import TeamsRuntime
from handlers.teams.standin.connector import ConnectorStandIn, Person
from handlers.teams.standin.driver import TeamsDriver, in_process
from storage.database import Database

APP_ID = "4b1f0f3c-5d2e-4a8b-9c61-2f7e8d9a0b13"
SECRET = "standin-secret"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
PUBLIC_URL = "https://verkosto.example.fi"
FORESIGHT = "kansallinen-ennakointiverkosto"
BY_REQUEST = "hr-juristiverkosto"
CLOSED = "valtionhallinnon-johdon-foorumi"
NETWORK_CHANNEL = "19:ennakointi@thread.tacv2"


@dataclass
class Teams:
    """The app, the stand-in and the people of the tenant."""

    driver: TeamsDriver
    connector: ConnectorStandIn
    services: Services
    runtime: TeamsRuntime
    aino: Person
    mikko: Person
    sara: Person
    olli: Person
    waits: list[float] = field(default_factory=list)

    def chat(self, person: Person) -> str:
        return self.driver.chat_of(person)

    def shown(self, person: Person) -> list[str]:
        """What the person reads in their chat with the bot, message by message."""
        return self.connector.shown(self.chat(person))

    def last_shown(self, person: Person) -> str:
        shown = self.shown(person)
        assert shown, f"{person.name} was sent nothing"
        return shown[-1]

    def actor(self, person: Person) -> Actor:
        return self.services.people.identify(
            TENANT, person.aad_id, lambda _: Profile(person.name), platform=Platform.TEAMS
        )


@pytest.fixture(scope="session")
def running_connector() -> Iterator[ConnectorStandIn]:
    with ConnectorStandIn(APP_ID, SECRET) as connector:
        yield connector


@pytest.fixture
def connector(running_connector: ConnectorStandIn) -> Iterator[ConnectorStandIn]:
    running_connector.reset()
    running_connector.people.clear()
    running_connector.conversations.clear()
    running_connector.secret = SECRET
    yield running_connector


@pytest.fixture
def teams_settings(connector: ConnectorStandIn, database_url: str) -> Settings:
    return Settings(
        teams_client_id=APP_ID,
        teams_client_secret=SECRET,
        teams_keys_url=connector.keys_url,
        teams_token_url=connector.token_url,
        database_url=database_url,
        verkosto_public_url=PUBLIC_URL,
        verkosto_secret="teams-test-ballots",
        verkosto_refresh_seconds=0,
        _env_file=None,
    )


@pytest.fixture
def teams_services(teams_settings: Settings, db: Database, clock: FrozenClock) -> Services:
    return Services.build(teams_settings, db, clock)


def build_teams(
    settings: Settings, services: Services, connector: ConnectorStandIn, *, signed: bool = True
) -> Teams:
    waits: list[float] = []
    # Waiting moves the stand-in clock of the rate limits on; nothing really sleeps.
    monotonic = [0.0]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        monotonic[0] += seconds

    runtime = TeamsRuntime(
        settings,
        services,
        background=InThisProcess(ImmediateExecutor()),
        sleep=sleep,
        monotonic=lambda: monotonic[0],
    )
    auth = (
        None
        if settings.teams_allow_unauthenticated
        else ActivityAuth(APP_ID, settings.teams_keys_url)
    )
    route = teams_route(runtime, auth)
    driver = TeamsDriver(connector, in_process(route), TENANT, signed=signed)
    people = (
        connector.add_person(
            "0b5e2a8e-aino-4000-8000-000000000001", "Aino Virtanen", locale="fi-FI"
        ),
        connector.add_person(
            "0b5e2a8e-mikk-4000-8000-000000000002", "Mikko Korhonen", locale="fi-FI"
        ),
        connector.add_person(
            "0b5e2a8e-sara-4000-8000-000000000003", "Sara Lindqvist", locale="sv-FI"
        ),
        connector.add_person(
            "0b5e2a8e-olli-4000-8000-000000000004", "Olli Mäkinen", locale="en-GB"
        ),
    )
    connector.add_conversation(NETWORK_CHANNEL)
    return Teams(driver, connector, services, runtime, *people, waits=waits)


@pytest.fixture
def teams(teams_settings: Settings, teams_services: Services, connector: ConnectorStandIn) -> Teams:
    return build_teams(teams_settings, teams_services, connector)


@pytest.fixture
def tenant_directory(teams: Teams) -> Teams:
    """The real networks imported into the tenant; Aino coordinates the foresight network and
    the HR lawyers' network (which takes requests), and every one of the four has written to the
    bot once, so that it can reach them."""
    report = teams.services.importer.run(TENANT, bundled_networks(), platform=Platform.TEAMS)
    assert report.ok, report.rejections
    for person in (teams.aino, teams.mikko, teams.sara, teams.olli):
        assert teams.driver.install(person).status == 200
    # The app is in the team of the foresight network's channel.
    assert teams.driver.install(teams.aino, NETWORK_CHANNEL).status == 200
    admin = teams.services.people.identify(
        TENANT,
        "admin",
        lambda _: Profile("Admin", is_workspace_admin=True),
        platform=Platform.TEAMS,
    )
    for slug, policy, channel in (
        (FORESIGHT, JoinPolicy.OPEN, NETWORK_CHANNEL),
        (BY_REQUEST, JoinPolicy.REQUEST, None),
        (CLOSED, JoinPolicy.CLOSED, None),
    ):
        editable = teams.services.networks.editable(admin, slug)
        values = {**editable.form.model_dump(), "join_policy": policy, "channel_id": channel}
        teams.services.networks.update(admin, editable.network_id, values)
        teams.services.memberships.set_role(admin, slug, teams.aino.aad_id, Role.COORDINATOR)
    teams.services.outbox.drain(teams.runtime.courier.deliver)
    teams.connector.reset()
    return teams
