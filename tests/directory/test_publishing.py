"""Publishing a network on the web directory: off for a new network, a box in the Slack form
(the Teams dialog's: tests/teams/test_dialogs.py), `public` in an import file, and a line in
`info`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain import Platform
from bot.results.people import Profile
from bot.services import Services
from bot.settings import Settings
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Network
from tests.conftest import PUBLIC_URL
from tests.directory.conftest import TEAMS_NETWORK, TEAMS_PERSON, TENANT, Web, publish
from tests.support import COORDINATOR, FORESIGHT, MEMBER, Slack, network
from tests.test_network_form import as_opened, checked, new_network, open_form


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The directory on, so that `info` can link to a network's page."""
    return settings.model_copy(update={"verkosto_web_directory": True})


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
    assert f"On the public web directory: <{PUBLIC_URL}/networks/{FORESIGHT}>" in shown


def test_info_tells_a_coordinator_why_a_network_is_not_on_the_web(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    not_yet = "Not published on the public web directory."
    assert not_yet in slack.command(COORDINATOR, f"info {FORESIGHT}").text
    assert "web directory" not in slack.command(MEMBER, f"info {FORESIGHT}").text

    publish(directory, standin, FORESIGHT, listed=False)
    unlisted = slack.command(COORDINATOR, f"info {FORESIGHT}").text
    assert "Marked for the public web directory, but not shown there while it is unlisted." in (
        unlisted
    )
    assert PUBLIC_URL + "/networks" not in unlisted
    publish(directory, standin, FORESIGHT, listed=True, archived=True)
    archived = slack.command(COORDINATOR, f"info {FORESIGHT}").text
    assert "but not shown there because it is archived." in archived


def test_info_links_a_namesake_of_another_workspace_to_its_own_page(slack: Slack, web: Web) -> None:
    namesake = {**TEAMS_NETWORK, "id": FORESIGHT, "name_fi": "Kuntien ennakointi"}
    assert web.services.importer.run(TENANT, [namesake], platform=Platform.TEAMS).ok
    in_tenant = web.services.people.identify(
        TENANT, TEAMS_PERSON, lambda _: Profile("Tiina Teams"), platform=Platform.TEAMS
    )

    theirs = web.services.networks.info(in_tenant, FORESIGHT)
    assert theirs.web_address == f"{FORESIGHT}~{theirs.summary.ref.id}"
    page = web.get(f"/networks/{theirs.web_address}?lang=fi").get_data(as_text=True)
    assert '<h1 id="name">Kuntien ennakointi</h1>' in page
    shown = slack.command(MEMBER, f"info {FORESIGHT}").text
    assert f"<{PUBLIC_URL}/networks/{FORESIGHT}>" in shown


def test_an_import_publishes_and_leaves_alone_what_it_does_not_say(directory: Services) -> None:
    assert directory.importer.run(TENANT, [TEAMS_NETWORK], platform=Platform.TEAMS).ok
    assert published(directory, "kuntien-ilmastoverkosto")
    unsaid = {key: value for key, value in TEAMS_NETWORK.items() if key != "public"}
    assert directory.importer.run(TENANT, [{**unsaid, "name_en": "Renamed"}]).ok
    assert published(directory, "kuntien-ilmastoverkosto")
    assert directory.importer.run(TENANT, [{**unsaid, "public": False}]).ok
    assert not published(directory, "kuntien-ilmastoverkosto")
