"""Forms in Teams: a command that needs a form answers with the button that opens it, the
dialog comes as `task/fetch` answers it, and `task/submit` saves it or shows its mistakes under
the fields, filled in as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.settings import Settings
from storage.models import Membership, Network
from tests.teams.conftest import FORESIGHT, NETWORK_CHANNEL, PUBLIC_URL, Teams


@pytest.fixture
def teams_settings(teams_settings: Settings) -> Settings:
    """The directory on, so that `info` can link to a network's page."""
    return teams_settings.model_copy(update={"verkosto_web_directory": True})


def _fields(answer: dict) -> dict[str, dict]:
    card = answer["task"]["value"]["card"]["content"]
    return {node["id"]: node for node in card["body"] if "id" in node}


def _under(answer: dict, field: str) -> str:
    """The words shown right under a field: its mistake, if it has one."""
    body = answer["task"]["value"]["card"]["content"]["body"]
    at = next(i for i, node in enumerate(body) if node.get("id") == field)
    below = body[at + 1] if at + 1 < len(body) else {}
    if below.get("type") != "RichTextBlock":
        return ""
    return "".join(run["text"] for run in below["inlines"])


def test_a_network_is_created_in_a_dialog_after_its_mistakes_are_fixed(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    chat = teams.chat(teams.olli)
    teams.driver.message(teams.olli, "network create")
    assert "Press the button to open the form." in teams.last_shown(teams.olli)

    opened = teams.driver.open_dialog(teams.olli, chat, "New network").json()

    assert opened["task"]["type"] == "continue"
    assert opened["task"]["value"]["title"] == "New network"
    assert {"name_fi", "name_en", "slug", "category", "join_policy"} <= set(_fields(opened))
    assert _fields(opened)["published"]["value"] == "false"

    mistaken = teams.driver.submit_dialog(
        teams.olli, chat, opened, name_en="x" * 4000, slug="Not A Slug!"
    ).json()

    assert mistaken["task"]["type"] == "continue"
    fields = _fields(mistaken)
    assert fields["slug"]["value"] == "Not A Slug!"
    assert _under(mistaken, "name_en") == "Too long: at most 150 characters."
    assert _under(mistaken, "slug").startswith("Use 2 to 64 lowercase letters")
    assert _under(mistaken, "category") == "This is needed."
    assert _under(mistaken, "name_fi") == ""
    with teams.services.db.snapshot() as store:
        assert store.session.scalar(select(Network).where(Network.slug == "not-a-slug")) is None

    saved = teams.driver.submit_dialog(
        teams.olli,
        chat,
        mistaken,
        name_en="Public sector open source",
        slug="julkinen-avoin-koodi",
        category="development",
    ).json()

    assert saved == {"task": {"type": "message", "value": ""}}
    assert "Public sector open source" in teams.last_shown(teams.olli)
    assert "is ready and you are its coordinator" in teams.last_shown(teams.olli)
    with teams.services.db.snapshot() as store:
        network = store.session.scalars(
            select(Network).where(Network.slug == "julkinen-avoin-koodi")
        ).one()
        assert network.name_en == "Public sector open source"
        assert network.published is False
        coordinators = store.session.scalars(
            select(Membership).where(Membership.network_id == network.id)
        ).all()
        assert len(coordinators) == 1


def test_editing_in_a_channel_links_that_channel(tenant_directory: Teams) -> None:
    teams = tenant_directory
    teams.driver.message(teams.aino, f"network edit {FORESIGHT}", channel=NETWORK_CHANNEL)
    chat = teams.chat(teams.aino)

    opened = teams.driver.open_dialog(teams.aino, chat, "Muokkaa verkostoa").json()

    fields = _fields(opened)
    assert fields["name_fi"]["value"] == "Kansallinen ennakointiverkosto"
    assert fields["use_channel"]["value"] == "true"
    teams.driver.submit_dialog(
        teams.aino, chat, opened, description_en="Foresight across the state.", use_channel="false"
    )

    with teams.services.db.snapshot() as store:
        network = store.session.scalars(select(Network).where(Network.slug == FORESIGHT)).one()
        assert network.description_en == "Foresight across the state."
        assert network.channel_id is None


def test_someone_who_may_not_edit_gets_no_form(tenant_directory: Teams) -> None:
    teams = tenant_directory

    teams.driver.message(teams.mikko, f"network edit {FORESIGHT}")

    assert "[" not in teams.last_shown(teams.mikko)
    assert "koordinaattori" in teams.last_shown(teams.mikko)


def test_the_teams_dialog_publishes(tenant_directory: Teams) -> None:
    teams = tenant_directory
    chat = teams.chat(teams.aino)
    teams.driver.message(teams.aino, f"network edit {FORESIGHT}")
    opened = teams.driver.open_dialog(teams.aino, chat, "Muokkaa verkostoa").json()
    card = opened["task"]["value"]["card"]["content"]
    box = next(node for node in card["body"] if node.get("id") == "published")
    assert box["value"] == "false"

    teams.driver.submit_dialog(teams.aino, chat, opened, published="true")

    with teams.services.db.snapshot() as store:
        network = store.session.scalars(select(Network).where(Network.slug == FORESIGHT)).one()
        assert network.published is True
    teams.driver.message(teams.mikko, f"network info {FORESIGHT}")
    assert f"Julkisessa verkkohakemistossa: {PUBLIC_URL}/networks/{FORESIGHT}" in teams.last_shown(
        teams.mikko
    )
