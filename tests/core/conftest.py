"""The core's tests: the services and the use-case runner with a fake platform, on the test
database, with no Slack anywhere."""

from __future__ import annotations

import pytest

from bot.clock import FrozenClock
from bot.services import Services
from bot.settings import Settings
from storage.database import Database
from tests.core.platform import Scene
from tests.core.scenarios import (
    ADMIN,
    COORDINATOR,
    MEMBER,
    NEWCOMER,
    OUTSIDER,
    furnish,
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
    scene.meet(ADMIN, "Olli Admin", admin=True)
    scene.meet(COORDINATOR, "Aino Virtanen")
    scene.meet(MEMBER, "Mikko Korhonen")
    scene.meet(OUTSIDER, "Sara Lindqvist")
    scene.meet(NEWCOMER, "Olli Mäkinen")
    furnish(scene)
    return scene
