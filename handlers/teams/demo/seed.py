"""The demo tenant: four people, the real networks, and the foresight network's channel, in
which the app is installed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import JoinPolicy, Platform, Role
from bot.results.people import Profile
from bot.services import Services
from bot.services.importer import bundled_networks
from handlers.teams.standin.connector import ConnectorStandIn, Person
from handlers.teams.standin.driver import TeamsDriver

TENANT = "72f988bf-5c1a-4d6e-9b2f-3a7c0e1d4b68"
APP_ID = "8d3f5b2a-6c1e-4f7a-9b0d-2e4c6a8f1b3d"
CHANNEL = "19:ennakointi@thread.tacv2"
CHANNEL_NAME = "ennakointi"


@dataclass(frozen=True)
class DemoPerson:
    handle: str
    aad_id: str
    name: str
    locale: str


PEOPLE = (
    DemoPerson("aino", "0b5e2a8e-a100-4000-8000-000000000001", "Aino Virtanen", "fi-FI"),
    DemoPerson("mikko", "0b5e2a8e-a200-4000-8000-000000000002", "Mikko Korhonen", "fi-FI"),
    DemoPerson("sara", "0b5e2a8e-a300-4000-8000-000000000003", "Sara Lindqvist", "sv-FI"),
    DemoPerson("olli", "0b5e2a8e-a400-4000-8000-000000000004", "Olli Mäkinen", "en-GB"),
)
NETWORKS = (
    ("kansallinen-ennakointiverkosto", "aino", JoinPolicy.OPEN, CHANNEL),
    ("hr-juristiverkosto", "aino", JoinPolicy.REQUEST, None),
    ("valtionhallinnon-johdon-foorumi", "olli", JoinPolicy.CLOSED, None),
)


def people_of(connector: ConnectorStandIn) -> dict[str, Person]:
    """The demo people as the stand-in knows them, by handle."""
    return {
        person.handle: connector.add_person(person.aad_id, person.name, locale=person.locale)
        for person in PEOPLE
    }


def seed(services: Services, connector: ConnectorStandIn, driver: TeamsDriver) -> dict[str, Person]:
    """Import the networks, let everyone meet the bot, put the app in the channel's team and
    give the coordinators their networks."""
    services.importer.run(TENANT, bundled_networks(), platform=Platform.TEAMS)
    connector.add_conversation(CHANNEL)
    people = people_of(connector)
    for person in people.values():
        driver.install(person)
    driver.install(people["aino"], CHANNEL)
    setup = services.people.identify(
        TENANT,
        "demo-setup",
        lambda _: Profile("Demo", is_workspace_admin=True),
        platform=Platform.TEAMS,
    )
    for slug, coordinator, policy, channel in NETWORKS:
        editable = services.networks.editable(setup, slug)
        values = {**editable.form.model_dump(), "join_policy": policy, "channel_id": channel}
        services.networks.update(setup, editable.network_id, values)
        services.memberships.set_role(setup, slug, people[coordinator].aad_id, Role.COORDINATOR)
    return people
