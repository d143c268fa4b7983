"""The core's tests: the services and the use-case runner with a fake platform, on the test
database, with no Slack anywhere."""

from __future__ import annotations

import pytest

from bot.clock import FrozenClock
from bot.domain import Role
from bot.services import Services
from bot.services.importer import bundled_networks
from bot.settings import Settings
from storage.database import Database
from tests.core.platform import WORKSPACE, Scene
from tests.core.scenarios import (
    ADMIN,
    CHANNEL,
    COORDINATOR,
    MEMBER,
    NEWCOMER,
    OPEN_NETWORK,
    OUTSIDER,
    REQUEST_NETWORK,
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Updates follow every change at once.
    return Settings(
        database_url=database_url,
        verkosto_secret="core-tests-ballot-key",
        verkosto_refresh_seconds=0,
        _env_file=None,
    )


@pytest.fixture
def scene(settings: Settings, db: Database, clock: FrozenClock) -> Scene:
    """The real networks; an admin; a coordinator of the open foresight network (linked to
    a conversation) and of the by-request HR lawyers' network; a member of the first; others
    the platform knows who have not used the bot."""
    services = Services.build(settings, db, clock)
    scene = Scene.build(services, settings.verkosto_command)
    platform = scene.platform
    scene.meet(ADMIN, "Olli Admin", admin=True)
    scene.meet(COORDINATOR, "Aino Virtanen")
    scene.meet(MEMBER, "Mikko Korhonen")
    scene.meet(OUTSIDER, "Sara Lindqvist")
    scene.meet(NEWCOMER, "Olli Mäkinen")
    assert services.importer.run(WORKSPACE, bundled_networks()).ok
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
    platform.delivered.clear()
    return scene
