"""Publishing a network on the web directory: off for a new network, a box in the Slack form
(the Teams dialog's: tests/teams/test_dialogs.py), `public` in an import file, and a line in
`info`."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import Platform
from bot.services import Services
from storage.models import Network
from tests.directory.conftest import TEAMS_NETWORK, TENANT
from tests.support import COORDINATOR, FORESIGHT, MEMBER, Slack, network
from tests.test_network_form import as_opened, checked, new_network, open_form


def published(services: Services, slug: str) -> bool:
    found = network(services, slug)
    assert found is not None
    return found.published


def test_a_new_network_is_not_published_until_its_coordinator_says(
    slack: Slack, directory: Services
) -> None:
    view = open_form(slack, COORDINATOR, "create")
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert "published" in blocks and not blocks["published"]["element"].get("initial_options")
    slack.submit(COORDINATOR, view, new_network(slug=None))
    with directory.db.snapshot() as store:
        created = store.session.scalars(
            select(Network).where(Network.name_en == "AI practitioners")
        )
        assert created.one().published is False


def test_the_slack_form_publishes_and_info_says_where(slack: Slack, directory: Services) -> None:
    view = open_form(slack, COORDINATOR, f"edit {FORESIGHT}")
    values = as_opened(view)
    values["published"] = checked("published")
    slack.submit(COORDINATOR, view, values)

    assert published(directory, FORESIGHT)
    shown = slack.command(MEMBER, f"info {FORESIGHT}").text
    assert "Published on the public web directory" in shown


def test_an_import_publishes_and_leaves_alone_what_it_does_not_say(directory: Services) -> None:
    assert directory.importer.run(TENANT, [TEAMS_NETWORK], platform=Platform.TEAMS).ok
    assert published(directory, "kuntien-ilmastoverkosto")
    unsaid = {key: value for key, value in TEAMS_NETWORK.items() if key != "public"}
    assert directory.importer.run(TENANT, [{**unsaid, "name_en": "Renamed"}]).ok
    assert published(directory, "kuntien-ilmastoverkosto")
    assert directory.importer.run(TENANT, [{**unsaid, "public": False}]).ok
    assert not published(directory, "kuntien-ilmastoverkosto")
