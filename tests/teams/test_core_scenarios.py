"""The core's scenarios (tests/core) on the Teams adapter: every message the core sends is
drawn as a Teams card and goes through `TeamsPlatform` and Bot Connector to the stand-in, which
checks each card as Teams would; the scenarios' own assertions read what the core composed.

The scenario of a post whose answer was lost (tests/core/test_courier.py) is not run here: Bot
Connector cannot list a bot's messages, so Teams cannot find such a post (docs/teams.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FrozenClock
from bot.courier import Courier
from bot.domain import Platform, RecipientKind
from bot.outbox_composer import Composed, OutboxComposer
from bot.services import Services
from bot.services.addresses import Address
from bot.services.outbox import Sent
from bot.settings import Settings
from bot.use_cases import UseCaseRunner
from handlers.teams.courier import TEAMS_COMMAND
from handlers.teams.markup import teams_markup
from handlers.teams.outbox_cards import outbox_message
from handlers.teams.platform import TeamsPlatform
from handlers.teams.runtime import TeamsRuntime
from handlers.teams.standin.connector import SEND, UPDATE, ConnectorStandIn
from storage.database import Database
from tests.core.platform import WORKSPACE, FakePlatform, Scene, unrendered
from tests.core.scenarios import (
    ADMIN,
    CHANNEL,
    COORDINATOR,
    MEMBER,
    NEWCOMER,
    OUTSIDER,
    furnish,
)
from tests.core.test_card_actions import *  # noqa: F403
from tests.core.test_digests import *  # noqa: F403
from tests.core.test_events import *  # noqa: F403
from tests.core.test_joining import *  # noqa: F403
from tests.core.test_polls import *  # noqa: F403
from tests.core.test_use_cases import *  # noqa: F403
from tests.teams.conftest import PUBLIC_URL

PEOPLE = {
    ADMIN: "Olli Admin",
    COORDINATOR: "Aino Virtanen",
    MEMBER: "Mikko Korhonen",
    OUTSIDER: "Sara Lindqvist",
    NEWCOMER: "Olli Mäkinen",
}


class OnTeams(FakePlatform):
    """The fake platform's records, with every message also drawn and sent on Teams."""

    def __init__(self, teams: TeamsPlatform) -> None:
        super().__init__()
        self._teams = teams

    def post(
        self,
        conversation: str,
        message: Composed,
        *,
        key: str | None = None,
        thread: str | None = None,
    ) -> Sent:
        card = outbox_message(message, PUBLIC_URL)
        placed = self._teams.post(conversation, card, key=key, thread=thread)
        self._record(conversation, message, placed, key, thread)
        return placed

    def update(self, at: Sent, message: Composed) -> Sent:
        placed = self._teams.update(at, outbox_message(message, PUBLIC_URL))
        assert at.conversation is not None
        self._record(at.conversation, message, placed, None)
        return placed

    def message_person(self, person_id: str, message: Composed, *, key: str | None = None) -> Sent:
        placed = self._teams.message_person(person_id, outbox_message(message, PUBLIC_URL))
        self._record(person_id, message, placed, key)
        return placed

    def find_sent(self, recipient: str, kind: RecipientKind, key: str, since) -> Sent | None:
        return self._teams.find_sent(recipient, kind, key, since)

    def invite(self, conversation: str, person_id: str) -> bool:
        super().invite(conversation, person_id)
        return self._teams.invite(conversation, person_id)


@pytest.fixture
def scene(
    teams_settings: Settings, db: Database, clock: FrozenClock, connector: ConnectorStandIn
) -> Iterator[Scene]:
    """The core tests' scene (tests/core/conftest.py), in a Teams tenant the bot has met."""
    services = Services.build(teams_settings, db, clock)
    runtime = TeamsRuntime(teams_settings, services, sleep=lambda seconds: None)
    platform = OnTeams(runtime.platform)
    composer = OutboxComposer(services, TEAMS_COMMAND, teams_markup)
    scene = Scene(
        services,
        platform,
        UseCaseRunner(services, TEAMS_COMMAND, teams_markup),
        Courier(composer, platform, unrendered),
        WORKSPACE,
        Platform.TEAMS,
    )
    service_url = connector.service_url
    for person_id, name in PEOPLE.items():
        scene.meet(person_id, name, admin=person_id == ADMIN)
        person = connector.add_person(person_id, name)
        services.addresses.keep(
            person_id, Address(WORKSPACE, service_url, None, person.account_id), Platform.TEAMS
        )
    connector.add_conversation(CHANNEL)
    services.addresses.keep(CHANNEL, Address(WORKSPACE, service_url, CHANNEL), Platform.TEAMS)
    furnish(scene, Platform.TEAMS)
    yield scene
    sent = [call for kind in (SEND, UPDATE) for call in connector.calls_to(kind)]
    assert [call for call in sent if call.status == 400] == [], "Bot Connector refused cards"
