"""The cast and the networks of the core's scenarios, and what they do often."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from bot.results.events import EventSaved
from tests.core.platform import Scene

# An admin; a coordinator of both networks; a member of the open one; two the bot has not met.
ADMIN, COORDINATOR, MEMBER, OUTSIDER, NEWCOMER = "P-ADMIN", "P-AINO", "P-MIKKO", "P-SARA", "P-OLLI"
OPEN_NETWORK = "kansallinen-ennakointiverkosto"
REQUEST_NETWORK = "hr-juristiverkosto"
CHANNEL = "conversation-ennakointi"
# The tests' clock stands at Monday 30 November 2026, 10:00 in Helsinki.
EVENT_DAY = date(2026, 12, 3)


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
