"""The demo workspace: the real networks, a few people and channels, set up through the services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import JoinPolicy, Role
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.importer import bundled_networks
from handlers.slack.standin.model import TEAM_ID
from handlers.slack.standin.server import WebApiStandIn


@dataclass(frozen=True)
class DemoPerson:
    handle: str
    user_id: str
    name: str
    is_admin: bool = False
    language: str | None = None


PEOPLE = (
    DemoPerson("aino", "U0AINO", "Aino Virtanen", is_admin=True),
    DemoPerson("mikko", "U0MIKKO", "Mikko Korhonen"),
    DemoPerson("sara", "U0SARA", "Sara Lindqvist", language="sv"),
    DemoPerson("olli", "U0OLLI", "Olli Mäkinen"),
)
GENERAL = "C0GENERAL"
CHANNELS = (
    (GENERAL, "general", False, {p.user_id for p in PEOPLE}),
    ("C0ENNAKOINTI", "ennakointi", False, {"U0AINO", "U0OLLI"}),
    ("C0HRJURISTIT", "hr-juristit", True, {"U0AINO"}),
)
# (network slug, coordinator, join policy, linked channel, other members)
NETWORKS = (
    ("kansallinen-ennakointiverkosto", "U0AINO", JoinPolicy.OPEN, "C0ENNAKOINTI", ("U0OLLI",)),
    ("hr-juristiverkosto", "U0AINO", JoinPolicy.REQUEST, "C0HRJURISTIT", ()),
    ("valtionhallinnon-johdon-foorumi", "U0OLLI", JoinPolicy.CLOSED, None, ()),
    ("eu-ennakointiverkosto", "U0SARA", JoinPolicy.OPEN, None, ("U0AINO",)),
)


def populate(standin: WebApiStandIn) -> None:
    for person in PEOPLE:
        standin.add_user(person.user_id, person.handle, person.name, is_admin=person.is_admin)
    for channel_id, name, private, members in CHANNELS:
        standin.add_channel(channel_id, name, is_private=private, members=members)


def _actor(services: Services, standin: WebApiStandIn, user_id: str) -> Actor:
    def profile(uid: str) -> Profile:
        user = standin.users[uid]
        return Profile(user.real_name, user.tz, user.is_admin)

    return services.people.identify(TEAM_ID, user_id, profile)


def seed(services: Services, standin: WebApiStandIn) -> None:
    """Import the networks and give the demo people their roles; idempotent."""
    services.importer.run(TEAM_ID, bundled_networks())
    actors = {p.user_id: _actor(services, standin, p.user_id) for p in PEOPLE}
    for person in PEOPLE:
        if person.language:
            services.people.set_language(actors[person.user_id], person.language)
    admin = actors["U0AINO"]
    for slug, coordinator, policy, channel_id, members in NETWORKS:
        editable = services.networks.editable(admin, slug)
        values = {**editable.form.model_dump(), "join_policy": policy, "channel_id": channel_id}
        services.networks.update(admin, editable.network_id, values)
        services.memberships.set_role(admin, slug, coordinator, Role.COORDINATOR)
        for member in members:
            services.memberships.set_role(admin, slug, member, Role.MEMBER)
