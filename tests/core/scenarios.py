"""The cast and the networks of the core's scenarios, and what they do often."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from bot.domain import Platform, Role
from bot.results.events import EventSaved
from bot.services.importer import bundled_networks
from tests.core.platform import Scene

# An admin; a coordinator of both networks; a member of the open one; two the bot has not met.
ADMIN, COORDINATOR, MEMBER, OUTSIDER, NEWCOMER = "P-ADMIN", "P-AINO", "P-MIKKO", "P-SARA", "P-OLLI"
OPEN_NETWORK = "kansallinen-ennakointiverkosto"
REQUEST_NETWORK = "hr-juristiverkosto"
CHANNEL = "conversation-ennakointi"
# The tests' clock stands at Monday 30 November 2026, 10:00 in Helsinki.
EVENT_DAY = date(2026, 12, 3)


def furnish(scene: Scene, platform: Platform = Platform.SLACK) -> None:
    """The real networks in the scene's workspace (met on `platform`); an admin; a coordinator
    of the open foresight network (linked to a conversation) and of the by-request HR lawyers'
    network; a member of the first. What setting up queued is sent, then let go."""
    services = scene.services
    assert services.importer.run(scene.workspace, bundled_networks(), platform=platform).ok
    admin = scene.actor(ADMIN)
    for person in (COORDINATOR, MEMBER):
        scene.actor(person)
    editable = services.networks.editable(admin, REQUEST_NETWORK)
    values = {**editable.form.model_dump(), "join_policy": "request"}
    services.networks.update(admin, editable.network_id, values)
    editable = services.networks.editable(admin, OPEN_NETWORK)
    values = {**editable.form.model_dump(), "join_policy": "open", "channel_id": CHANNEL}
    services.networks.update(admin, editable.network_id, values)
    services.memberships.set_role(admin, OPEN_NETWORK, COORDINATOR, Role.COORDINATOR)
    services.memberships.set_role(admin, OPEN_NETWORK, MEMBER, Role.MEMBER)
    services.memberships.set_role(admin, REQUEST_NETWORK, COORDINATOR, Role.COORDINATOR)
    scene.send()
    scene.platform.delivered.clear()


def event_values(**changes: Any) -> dict[str, Any]:
    """An event's form as a coordinator fills it: a morning in three days."""
    return {
        "title": "Foresight morning",
        "start_date": EVENT_DAY,
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "timezone": "Europe/Helsinki",
        "place": "Säätytalo",
        "reminders": (1440,),
        **changes,
    }


def open_network_id(scene: Scene) -> int:
    return scene.services.networks.editable(scene.actor(COORDINATOR), OPEN_NETWORK).network_id


def announce(scene: Scene, **changes: Any) -> EventSaved:
    """The coordinator announces an event in the open network."""
    network_id = open_network_id(scene)
    return scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.events.create(
            actor, network_id, "conversation-typed-in", event_values(**changes)
        ),
    )
