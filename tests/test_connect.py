"""People from other organisations in a channel shared through Slack Connect: Slack lets them
press buttons but not use the slash command. They are recognised by their team, join by the
button or by the linked channel as anyone does, are marked as from another organisation among a
network's members, are counted in reports, and read the bot in the workspace's language."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import Services
from handlers.slack.blocks import ActionId
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Person
from tests.support import COORDINATOR, FORESIGHT, LINKED, Slack, network, text_of

KAISA = "U0KAISA"
ELINA = "U0ELINA"


def guests(standin: WebApiStandIn) -> None:
    """Kaisa of a municipality and Elina of an NGO, each in the shared channel."""
    standin.add_user(KAISA, "kaisa", "Kaisa Kunta", team_id="T0KUNTA")
    standin.add_user(ELINA, "elina", "Elina Järjestö", team_id="T0JARJESTO")


def organisation_of(services: Services, user_id: str) -> str | None:
    with services.db.snapshot() as store:
        person = store.session.scalar(select(Person).where(Person.user_id == user_id))
        assert person is not None
        return person.organisation_id


def test_someone_from_another_organisation_joins_by_the_button_and_is_marked(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    guests(standin)
    target = network(directory, FORESIGHT)
    assert target is not None

    answer = slack.click(KAISA, ActionId.JOIN, str(target.id), channel_id=LINKED)

    assert "You are now a member of *National foresight network*" in answer.text
    assert organisation_of(directory, KAISA) == "T0KUNTA"
    listed = slack.command(COORDINATOR, f"members {FORESIGHT}").text
    assert "Kaisa Kunta · member · " in listed and "· from another organisation" in listed
    assert listed.count("from another organisation") == 1, "Aino and Mikko are of this one"


def test_joining_the_shared_channel_makes_a_member_in_the_workspaces_language(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    guests(standin)

    answer = slack.event(user_id=ELINA, channel_id=LINKED)

    [welcome] = answer.to("chat.postEphemeral")
    # External profiles tell no language: the workspace's (VERKOSTO_LANGUAGE, here English).
    assert "so you are now a member of *National foresight network*" in text_of(welcome)
    assert organisation_of(directory, ELINA) == "T0JARJESTO"


def test_the_report_counts_members_from_other_organisations(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    guests(standin)
    target = network(directory, FORESIGHT)
    assert target is not None
    slack.click(KAISA, ActionId.JOIN, str(target.id), channel_id=LINKED)
    one = slack.command(COORDINATOR, f"report {FORESIGHT} 2026-11-01..2026-12-01").text
    assert "1 member from another organisation" in one

    slack.event(user_id=ELINA, channel_id=LINKED)

    two = slack.command(COORDINATOR, f"report {FORESIGHT} 2026-11-01..2026-12-01").text
    assert "2 members from 2 other organisations" in two
