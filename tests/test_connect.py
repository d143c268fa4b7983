"""People from other organisations in a channel shared through Slack Connect: Slack lets them
press buttons but not use the slash command. They are recognised by their team. Where a
network's scope includes their kind of organisation (`SLACK_CONNECT_ORGANISATIONS`) they join by
the button or the linked channel as anyone does; otherwise the coordinators get a request. They
are marked among a network's members, counted in reports, and read the bot in the workspace's
language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain import Attendance, JoinPolicy, MembershipStatus
from bot.services import Services
from bot.settings import Settings
from handlers.slack.blocks import ActionId
from handlers.slack.standin.server import Call, WebApiStandIn
from storage.models import Network, Person
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    OUTSIDER,
    Exchange,
    Slack,
    network,
    status_of,
    text_of,
)
from tests.test_events import announce, answers, click, event_id, updated
from tests.test_home import texts

KAISA = "U0KAISA"
ELINA = "U0ELINA"
STATE_ONLY = "eu-ennakointiverkosto"
PERIOD = "2026-11-01..2026-12-01"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A municipality and an organisation of municipalities on Enterprise Grid the deployment
    knows; the NGO it does not."""
    partners = "T0KUNTA=municipalities,E0KUNNAT=municipalities"
    return settings.model_copy(update={"slack_connect_organisations": partners})


@pytest.fixture
def guests(standin: WebApiStandIn) -> None:
    """Kaisa of a municipality and Elina of an NGO, each in the shared channel."""
    standin.add_user(KAISA, "kaisa", "Kaisa Kunta", team_id="T0KUNTA")
    standin.add_user(ELINA, "elina", "Elina Järjestö", team_id="T0JARJESTO")


def organisation_of(services: Services, user_id: str) -> str | None:
    with services.db.snapshot() as store:
        person = store.session.scalar(select(Person).where(Person.user_id == user_id))
        assert person is not None
        return person.organisation_id


def notice_to_coordinator(exchange: Exchange) -> Call:
    """The one request notice the coordinator got in a direct message."""
    [notice] = [c for c in exchange.to("chat.postMessage") if c.params["channel"] == COORDINATOR]
    return notice


def press_join(slack: Slack, services: Services, user_id: str, slug: str) -> str:
    target = network(services, slug)
    assert target is not None
    return slack.click(user_id, ActionId.JOIN, str(target.id), channel_id=LINKED).text


def test_someone_of_a_kind_the_network_takes_joins_by_the_button_and_is_marked(
    slack: Slack, directory: Services, guests: None
) -> None:
    answer = press_join(slack, directory, KAISA, FORESIGHT)

    assert "You are now a member of *National foresight network*" in answer
    assert organisation_of(directory, KAISA) == "T0KUNTA"
    listed = slack.command(COORDINATOR, f"members {FORESIGHT}").text
    assert "Kaisa Kunta · member · " in listed and "· from another organisation" in listed
    assert listed.count("from another organisation") == 1, "Aino and Mikko are of this one"


def test_a_guest_whose_profile_cannot_be_read_is_known_by_the_team_the_button_tells(
    slack: Slack, directory: Services, guests: None
) -> None:
    slack.standin.fail("users.info", status=500, times=3)

    answer = press_join(slack, directory, ELINA, FORESIGHT)

    assert "Your request to join *National foresight network* is on its way" in answer
    assert status_of(directory, FORESIGHT, ELINA)[0] is MembershipStatus.PENDING
    assert organisation_of(directory, ELINA) == "T0JARJESTO"


def test_a_guest_whose_profile_cannot_be_read_is_known_by_the_team_the_channel_tells(
    slack: Slack, directory: Services, guests: None
) -> None:
    slack.standin.fail("users.info", status=500, times=3)

    answer = slack.event(user_id=ELINA, channel_id=LINKED)

    [told] = answer.to("chat.postEphemeral")
    assert "takes people of other organisations by request" in text_of(told)
    assert status_of(directory, FORESIGHT, ELINA)[0] is MembershipStatus.PENDING
    assert organisation_of(directory, ELINA) == "T0JARJESTO"


def test_someone_of_this_workspace_whose_profile_cannot_be_read_joins_at_once(
    slack: Slack, directory: Services
) -> None:
    slack.standin.fail("users.info", status=500, times=3)

    answer = press_join(slack, directory, OUTSIDER, FORESIGHT)

    assert "You are now a member of *National foresight network*" in answer
    assert organisation_of(directory, OUTSIDER) is None


def test_a_network_that_does_not_take_their_kind_gets_a_request_instead(
    slack: Slack, directory: Services, guests: None
) -> None:
    answer = press_join(slack, directory, KAISA, STATE_ONLY)

    assert "Your request to join *EU-wide Foresight Network* is on its way" in answer
    assert status_of(directory, STATE_ONLY, KAISA)[0] is MembershipStatus.PENDING


def test_joining_the_shared_channel_from_an_unknown_organisation_asks_the_coordinators(
    slack: Slack, directory: Services, guests: None
) -> None:
    answer = slack.event(user_id=ELINA, channel_id=LINKED)

    [told] = answer.to("chat.postEphemeral")
    # External profiles tell no language: the workspace's (VERKOSTO_LANGUAGE, here English).
    assert "takes people of other organisations by request" in text_of(told)
    assert status_of(directory, FORESIGHT, ELINA)[0] is MembershipStatus.PENDING
    assert (
        "*Elina Järjestö*, from another organisation, asks to join *National foresight network*"
        in text_of(notice_to_coordinator(answer))
    )
    assert organisation_of(directory, ELINA) == "T0JARJESTO"
    home = texts(slack.home(COORDINATOR))
    assert "*Elina Järjestö*, from another organisation, asks to join" in home


def test_someone_declined_who_comes_back_to_the_channel_is_not_asked_for_again(
    slack: Slack, directory: Services, guests: None
) -> None:
    asked = slack.event(user_id=ELINA, channel_id=LINKED)
    request = notice_to_coordinator(asked).params["blocks"][1]["elements"][0]["value"]
    slack.click(COORDINATOR, ActionId.DECLINE, request, channel_id=None)

    again = slack.event(user_id=ELINA, channel_id=LINKED)

    [told] = again.to("chat.postEphemeral")
    assert (
        "Your earlier request to join *National foresight network* was declined, "
        "so I did not ask again" in text_of(told)
    )
    assert again.to("chat.postMessage") == [], "the coordinators are not asked again"
    assert status_of(directory, FORESIGHT, ELINA) is None
    pressed = press_join(slack, directory, ELINA, FORESIGHT)
    assert "Your request to join *National foresight network* is on its way" in pressed


def test_someone_of_a_kind_the_network_takes_joins_by_the_shared_channel(
    slack: Slack, directory: Services, guests: None
) -> None:
    answer = slack.event(user_id=KAISA, channel_id=LINKED)

    [welcome] = answer.to("chat.postEphemeral")
    assert "so you are now a member of *National foresight network*" in text_of(welcome)
    assert status_of(directory, FORESIGHT, KAISA) == (MembershipStatus.ACTIVE, "member")
    assert organisation_of(directory, KAISA) == "T0KUNTA"
    assert answer.to("chat.postMessage") == [], "nobody is asked"


def test_the_workspaces_of_a_partners_grid_organisation_are_one_organisation(
    slack: Slack, directory: Services, settings: Settings, standin: WebApiStandIn
) -> None:
    """A partner on Enterprise Grid is named once, by its organisation, for all its workspaces."""
    standin.add_user("U0OULU", "oona", "Oona Oulu", team_id="T0OULU", enterprise_id="E0KUNNAT")
    standin.add_user(
        "U0TAMPERE", "tuomas", "Tuomas Tampere", team_id="T0TRE", enterprise_id="E0KUNNAT"
    )
    assert settings.partner_kinds()["E0KUNNAT"].value == "municipalities"

    for guest in ("U0OULU", "U0TAMPERE"):
        answer = press_join(slack, directory, guest, FORESIGHT)
        assert "You are now a member of *National foresight network*" in answer
        assert organisation_of(directory, guest) == "E0KUNNAT"
    report = slack.command(COORDINATOR, f"report {FORESIGHT} {PERIOD}").text
    assert "2 members from another organisation" in report


def test_a_guest_answers_an_announcement_in_the_shared_channel_by_its_buttons(
    slack: Slack, directory: Services, guests: None
) -> None:
    press_join(slack, directory, KAISA, FORESIGHT)
    _, posted = announce(slack)
    event = event_id(posted)

    going = click(slack, KAISA, "going", event)

    assert "You are going to *Foresight morning*" in going.text
    assert "Going: Kaisa Kunta" in updated(going)
    assert answers(directory, event) == {KAISA: Attendance.GOING}


def test_the_report_counts_members_from_other_organisations(
    slack: Slack, directory: Services, guests: None
) -> None:
    press_join(slack, directory, KAISA, FORESIGHT)
    one = slack.command(COORDINATOR, f"report {FORESIGHT} {PERIOD}").text
    assert "1 member from another organisation" in one

    slack.event(user_id=ELINA, channel_id=LINKED)
    pending = slack.command(COORDINATOR, f"report {FORESIGHT} {PERIOD}").text
    assert "1 member from another organisation" in pending, "a request is no member"
    slack.command(ADMIN, f"role {FORESIGHT} <@{ELINA}> member")

    two = slack.command(COORDINATOR, f"report {FORESIGHT} {PERIOD}").text
    assert "2 members from 2 other organisations" in two


def test_a_kind_of_organisation_must_be_one_of_the_scopes() -> None:
    with pytest.raises(ValueError, match="the kind one of state, municipalities"):
        Settings(slack_connect_organisations="T0KUNTA=kunnat", _env_file=None)
    kinds = Settings(
        slack_connect_organisations="T0KUNTA=municipalities, T0SITRA=ngos", _env_file=None
    ).partner_kinds()
    assert {team: kind.value for team, kind in kinds.items()} == {
        "T0KUNTA": "municipalities",
        "T0SITRA": "ngos",
    }


def test_the_workers_daily_read_keeps_a_guest_a_guest_and_no_admin(
    slack: Slack, directory: Services, standin: WebApiStandIn, guests: None, clock
) -> None:
    press_join(slack, directory, KAISA, FORESIGHT)
    standin.users[KAISA].is_admin = True  # an admin of their own organisation's workspace
    clock.advance(timedelta(days=1, minutes=1))
    press_join(slack, directory, KAISA, STATE_ONLY)  # seen today, so read again tonight

    reads = slack.worker().to("users.info")

    assert [call.params["user"] for call in reads] == [KAISA]
    with directory.db.snapshot() as store:
        person = store.session.scalar(select(Person).where(Person.user_id == KAISA))
        assert person is not None
        assert person.organisation_id == "T0KUNTA" and person.is_workspace_admin is False


def test_joining_a_closed_networks_shared_channel_asks_nobody(
    slack: Slack, directory: Services, guests: None
) -> None:
    with directory.db.transaction() as store:
        closed = store.session.scalar(select(Network).where(Network.slug == FORESIGHT))
        assert closed is not None
        closed.join_policy = JoinPolicy.CLOSED

    answer = slack.event(user_id=ELINA, channel_id=LINKED)

    assert answer.to("chat.postEphemeral") == [] and answer.to("chat.postMessage") == []
    assert status_of(directory, FORESIGHT, ELINA) is None
