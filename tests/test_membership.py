"""Joining, leaving, requests, roles, `mine` and `members`: what Slack receives, what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain import JoinPolicy, MembershipStatus, Role
from bot.services import Services
from handlers.slack.blocks import ActionId
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Slack,
    as_actor,
    audit,
    memberships,
    network,
    snapshot,
    status_of,
    text_of,
)

HR = "hr-juristiverkosto"
FORUM = "valtionhallinnon-johdon-foorumi"


def set_policy(services: Services, standin, slug: str, policy: JoinPolicy, **more) -> None:
    admin = as_actor(services, standin, ADMIN)
    editable = services.networks.editable(admin, slug)
    values = {**editable.form.model_dump(), "join_policy": policy, **more}
    services.networks.update(admin, editable.network_id, values)


# Open networks --------------------------------------------------------------------------------


def test_joining_an_open_network_adds_the_member_and_invites_them_to_its_channel(
    slack: Slack, directory: Services, clock
) -> None:
    answer = slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert "You are now a member of *National foresight network*" in answer.text
    assert "I added you to <#C0ENNAKOINTI>" in answer.text
    [invite] = answer.to("conversations.invite")
    assert invite.params["channel"] == LINKED and invite.params["users"] == OUTSIDER
    assert OUTSIDER in slack.standin.channels[LINKED].members
    [spell] = memberships(directory, FORESIGHT, OUTSIDER)
    assert spell.status is MembershipStatus.ACTIVE and spell.joined_at == clock.now()


def test_joining_by_button_from_a_listing(slack: Slack, directory: Services) -> None:
    listing = slack.command(OUTSIDER, "list ennakointi")
    target = network(directory, "eu-ennakointiverkosto")
    answer = slack.click(OUTSIDER, ActionId.JOIN, str(target.id))
    assert "You are now a member of *EU-wide Foresight Network*" in answer.text
    assert answer.to("conversations.invite") == [], "it has no linked channel"
    assert status_of(directory, "eu-ennakointiverkosto", OUTSIDER) == (
        MembershipStatus.ACTIVE,
        "member",
    )
    assert listing.reply.params["replace_original"] is False


def test_joining_twice_says_so_and_changes_nothing(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(MEMBER, f"join {FORESIGHT}")
    assert "You are already a member of *National foresight network*" in answer.text
    assert answer.to("conversations.invite") == []
    assert snapshot(directory) == before


def test_when_the_bot_cannot_invite_the_person_is_told_where_to_go(slack: Slack, directory):
    slack.standin.fail("conversations.invite", error="not_in_channel")
    answer = slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert "join it there" in answer.text and "<#C0ENNAKOINTI>" in answer.text
    assert status_of(directory, FORESIGHT, OUTSIDER) == (MembershipStatus.ACTIVE, "member")


def test_joining_an_archived_network_is_refused(slack: Slack, directory: Services) -> None:
    set_policy(directory, slack.standin, "digiverkostohanke", JoinPolicy.OPEN, archived=True)
    before = snapshot(directory)
    answer = slack.command(OUTSIDER, "join digiverkostohanke")
    assert "is archived and takes no new members" in answer.text
    assert snapshot(directory) == before


# Networks that take requests ------------------------------------------------------------------


def coordinated_by_aino(slack: Slack, directory: Services, slug: str, policy: JoinPolicy):
    set_policy(directory, slack.standin, slug, policy)
    admin = as_actor(directory, slack.standin, ADMIN)
    directory.memberships.set_role(admin, slug, COORDINATOR, Role.COORDINATOR)
    slack.worker()
    slack.standin.reset()
    return directory


@pytest.fixture
def hr(slack: Slack, directory: Services) -> Services:
    """The HR lawyers' network takes requests; Aino coordinates it."""
    return coordinated_by_aino(slack, directory, HR, JoinPolicy.REQUEST)


@pytest.fixture
def forum(slack: Slack, directory: Services) -> Services:
    """The leadership forum is by invitation only; Aino coordinates it."""
    return coordinated_by_aino(slack, directory, FORUM, JoinPolicy.CLOSED)


def test_a_request_goes_to_the_coordinators_with_approve_and_decline(slack: Slack, hr) -> None:
    answer = slack.command(OUTSIDER, f"join {HR}")
    assert "is on its way to the coordinators" in answer.text
    [notice] = answer.to("chat.postMessage")
    assert notice.params["channel"] == COORDINATOR
    assert "*Sara Lindqvist* asks to join *HR lawyers' network*" in text_of(notice)
    actions = [e["action_id"] for b in notice.params["blocks"] for e in b.get("elements", [])]
    assert actions == [ActionId.APPROVE, ActionId.DECLINE]
    assert status_of(hr, HR, OUTSIDER) == (MembershipStatus.PENDING, "member")


def request_value(exchange) -> str:
    [notice] = exchange.to("chat.postMessage")
    return notice.params["blocks"][1]["elements"][0]["value"]


def test_approving_a_request_makes_a_member_and_tells_them(slack: Slack, hr, clock) -> None:
    value = request_value(slack.command(OUTSIDER, f"join {HR}"))
    answer = slack.click(COORDINATOR, ActionId.APPROVE, value, channel_id=None)
    assert "Aino Virtanen approved Sara Lindqvist's request" in answer.text
    assert answer.reply.params["replace_original"] is True
    [told] = answer.to("chat.postMessage")
    assert told.params["channel"] == OUTSIDER
    assert "Your request to join *HR lawyers' network* was approved" in text_of(told)
    assert status_of(hr, HR, OUTSIDER) == (MembershipStatus.ACTIVE, "member")
    assert ("request_approved", {}) in audit(hr)


def test_declining_a_request_keeps_it_as_history(slack: Slack, hr) -> None:
    value = request_value(slack.command(OUTSIDER, f"join {HR}"))
    answer = slack.click(COORDINATOR, ActionId.DECLINE, value, channel_id=None)
    assert "declined Sara Lindqvist's request" in answer.text
    [told] = answer.to("chat.postMessage")
    assert "was declined" in text_of(told)
    assert status_of(hr, HR, OUTSIDER) is None
    [spell] = memberships(hr, HR, OUTSIDER)
    assert spell.status is MembershipStatus.DECLINED and spell.left_at is not None


def test_a_request_answered_twice_is_reported_not_changed(slack: Slack, hr) -> None:
    value = request_value(slack.command(OUTSIDER, f"join {HR}"))
    slack.click(COORDINATOR, ActionId.APPROVE, value, channel_id=None)
    before = snapshot(hr)
    again = slack.click(COORDINATOR, ActionId.DECLINE, value, channel_id=None)
    assert "already answered" in again.text and "approved" in again.text
    assert again.to("chat.postMessage") == []
    assert snapshot(hr) == before


def test_only_coordinators_can_answer_requests(slack: Slack, hr) -> None:
    value = request_value(slack.command(OUTSIDER, f"join {HR}"))
    before = snapshot(hr)
    answer = slack.click(MEMBER, ActionId.APPROVE, value, channel_id=None)
    assert "Only the coordinators of *HR lawyers' network* can do that" in answer.text
    assert snapshot(hr) == before


def test_a_forged_request_id_is_refused(slack: Slack, hr) -> None:
    for value in ("999999", "-1", "1e3", "abc", "１２"):
        answer = slack.click(COORDINATOR, ActionId.APPROVE, value)
        assert "That button is out of date" in answer.text


def test_asking_twice_says_the_request_is_waiting(slack: Slack, hr) -> None:
    slack.command(OUTSIDER, f"join {HR}")
    answer = slack.command(OUTSIDER, f"join {HR}")
    assert "You already asked to join" in answer.text
    assert answer.to("chat.postMessage") == []


def test_a_request_can_be_withdrawn(slack: Slack, hr) -> None:
    slack.command(OUTSIDER, f"join {HR}")
    answer = slack.command(OUTSIDER, f"leave {HR}")
    assert "You withdrew your request" in answer.text
    assert status_of(hr, HR, OUTSIDER) is None


def test_without_coordinators_requests_go_to_workspace_admins(slack: Slack, directory) -> None:
    set_policy(directory, slack.standin, HR, JoinPolicy.REQUEST)
    slack.standin.reset()
    answer = slack.command(OUTSIDER, f"join {HR}")
    assert [call.params["channel"] for call in answer.to("chat.postMessage")] == [ADMIN]


def two_coordinators(slack: Slack, hr: Services) -> None:
    admin = as_actor(hr, slack.standin, ADMIN)
    hr.memberships.set_role(admin, HR, ADMIN, Role.COORDINATOR)
    slack.worker()
    slack.standin.reset()


def notices(exchange) -> dict[str, object]:
    return {c.params["channel"]: c for c in exchange.to("chat.postMessage")}


def test_the_other_coordinators_notices_say_who_answered(slack: Slack, hr) -> None:
    two_coordinators(slack, hr)
    asked = notices(slack.command(OUTSIDER, f"join {HR}"))
    assert set(asked) == {COORDINATOR, ADMIN}
    value = asked[COORDINATOR].params["blocks"][1]["elements"][0]["value"]
    answer = slack.click(COORDINATOR, ActionId.APPROVE, value, channel_id=None)
    [changed] = answer.to("chat.update")
    assert changed.params["ts"] == asked[ADMIN].response["ts"]
    assert "Aino Virtanen approved Sara Lindqvist's request" in text_of(changed)
    assert "Approve" not in text_of(changed), "no buttons left to press"


def test_a_withdrawn_request_is_withdrawn_from_the_coordinators_too(slack: Slack, hr) -> None:
    asked = notices(slack.command(OUTSIDER, f"join {HR}"))
    withdrawn = slack.command(OUTSIDER, f"leave {HR}")
    [changed] = withdrawn.to("chat.update")
    assert changed.params["ts"] == asked[COORDINATOR].response["ts"]
    assert "Sara Lindqvist withdrew the request to join *HR lawyers' network*" in text_of(changed)


def test_a_request_slack_could_not_take_reaches_the_coordinator_later(
    slack: Slack, hr, clock
) -> None:
    slack.standin.fail("chat.postMessage", status=503)
    answer = slack.command(OUTSIDER, f"join {HR}")
    assert "is on its way to the coordinators" in answer.text
    assert [c.ok for c in answer.to("chat.postMessage")] == [False]
    clock.advance(timedelta(seconds=5))
    [notice] = slack.worker().to("chat.postMessage")
    assert notice.ok and notice.params["channel"] == COORDINATOR
    assert "*Sara Lindqvist* asks to join" in text_of(notice)


def test_a_request_withdrawn_before_its_notice_went_out_is_never_asked(
    slack: Slack, hr, clock
) -> None:
    slack.standin.fail("chat.postMessage", status=503)
    slack.command(OUTSIDER, f"join {HR}")
    slack.command(OUTSIDER, f"leave {HR}")
    clock.advance(timedelta(minutes=1))
    assert slack.worker().calls == []


# Closed networks ------------------------------------------------------------------------------


def test_a_closed_network_explains_how_to_get_in(slack: Slack, forum: Services) -> None:
    before = snapshot(forum)
    answer = slack.command(OUTSIDER, f"join {FORUM}")
    assert "is by invitation only. Ask a coordinator to add you: Aino Virtanen" in answer.text
    assert snapshot(forum) == before
    info = slack.command(OUTSIDER, f"info {FORUM}")
    closed = network(forum, FORUM)
    assert closed is not None
    assert "by invitation only" in info.text
    assert [b for b in info.buttons() if b["value"] == str(closed.id)] == [], "no way to join it"


def test_a_coordinator_brings_someone_into_a_closed_network_with_role(slack, forum) -> None:
    answer = slack.command(COORDINATOR, f"role {FORUM} <@{OUTSIDER}|sara> member")
    assert "Sara Lindqvist is now in" in answer.text
    [told] = answer.to("chat.postMessage")
    assert told.params["channel"] == OUTSIDER
    assert "Aino Virtanen added you to" in text_of(told)
    assert status_of(forum, FORUM, OUTSIDER) == (MembershipStatus.ACTIVE, "member")


# Leaving --------------------------------------------------------------------------------------


def test_leaving_ends_the_spell_and_keeps_it(slack: Slack, directory: Services, clock) -> None:
    joined = clock.now()
    clock.advance(timedelta(days=30))
    answer = slack.command(MEMBER, f"leave {FORESIGHT}")
    assert "You left *National foresight network*" in answer.text
    [spell] = memberships(directory, FORESIGHT, MEMBER)
    assert spell.status is MembershipStatus.LEFT
    assert (spell.joined_at, spell.left_at) == (joined, joined + timedelta(days=30))


def test_rejoining_starts_a_new_spell(slack: Slack, directory: Services) -> None:
    slack.command(MEMBER, f"leave {FORESIGHT}")
    slack.command(MEMBER, f"join {FORESIGHT}")
    spells = memberships(directory, FORESIGHT, MEMBER)
    assert [s.status for s in spells] == [MembershipStatus.LEFT, MembershipStatus.ACTIVE]


def test_leaving_by_button(slack: Slack, directory: Services) -> None:
    target = network(directory, FORESIGHT)
    answer = slack.click(MEMBER, ActionId.LEAVE, str(target.id))
    assert "You left" in answer.text
    assert status_of(directory, FORESIGHT, MEMBER) is None


def test_the_last_coordinator_cannot_leave(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(COORDINATOR, f"leave {FORESIGHT}")
    assert "You are the last coordinator" in answer.text
    assert "/network role" in answer.text
    assert snapshot(directory) == before


def test_a_coordinator_can_leave_after_handing_over(slack: Slack, directory: Services) -> None:
    slack.command(COORDINATOR, f"role {FORESIGHT} <@{MEMBER}|mikko> coordinator")
    assert "You left" in slack.command(COORDINATOR, f"leave {FORESIGHT}").text
    assert status_of(directory, FORESIGHT, MEMBER) == (MembershipStatus.ACTIVE, "coordinator")


def test_leaving_a_network_one_is_not_in(slack: Slack, directory: Services) -> None:
    assert "You are not a member" in slack.command(OUTSIDER, f"leave {FORESIGHT}").text


# Mine and members -----------------------------------------------------------------------------


def test_mine_lists_networks_with_role_and_date(slack: Slack, directory: Services) -> None:
    text = slack.command(COORDINATOR, "mine").text
    assert "National foresight network" in text
    assert "coordinator since Nov 30, 2026" in text


def test_mine_in_swedish_formats_the_date_in_swedish(slack: Slack, directory) -> None:
    slack.command(COORDINATOR, "inställningar språk svenska")
    text = slack.command(COORDINATOR, "mina").text
    assert "koordinator sedan 30 nov. 2026" in text


def test_mine_for_someone_in_nothing(slack: Slack, directory: Services) -> None:
    assert "You have not joined any network yet" in slack.command(OUTSIDER, "mine").text


def test_mine_shows_pending_requests(slack: Slack, hr) -> None:
    slack.command(OUTSIDER, f"join {HR}")
    assert "request waiting since" in slack.command(OUTSIDER, "mine").text


def test_members_lists_coordinators_first(slack: Slack, directory: Services) -> None:
    text = slack.command(OUTSIDER, f"members {FORESIGHT}").text
    assert "2 members" in text
    assert text.index("Aino Virtanen") < text.index("Mikko Korhonen")
    assert "coordinator" in text


def test_members_of_an_empty_network(slack: Slack, directory: Services) -> None:
    assert "has no members yet" in slack.command(OUTSIDER, "members keino").text


# Roles ----------------------------------------------------------------------------------------


def test_a_coordinator_gives_a_role_and_the_person_is_told(slack: Slack, directory) -> None:
    answer = slack.command(COORDINATOR, f"role {FORESIGHT} <@{MEMBER}|mikko> chair")
    assert "Mikko Korhonen is now chair" in answer.text
    [told] = answer.to("chat.postMessage")
    assert "Aino Virtanen made you chair" in text_of(told)
    assert status_of(directory, FORESIGHT, MEMBER) == (MembershipStatus.ACTIVE, "chair")
    assert ("role_changed", {"to": "chair", "from": "member"}) in audit(directory)


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("tukiryhmä", "support_group"),
        ("rådgivande", "advisory_group"),
        ("pj", "chair"),
        ("advisory", "advisory_group"),
    ],
)
def test_roles_have_aliases_in_every_language(slack: Slack, directory, word, role) -> None:
    slack.command(COORDINATOR, f"role {FORESIGHT} <@{MEMBER}|mikko> {word}")
    assert status_of(directory, FORESIGHT, MEMBER) == (MembershipStatus.ACTIVE, role)


def test_a_member_cannot_give_roles(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(MEMBER, f"role {FORESIGHT} <@{OUTSIDER}|sara> coordinator")
    assert "Only the coordinators of *National foresight network* can do that" in answer.text
    assert answer.to("chat.postMessage") == []
    assert snapshot(directory) == before


def test_a_workspace_admin_may_manage_any_network(slack: Slack, directory: Services) -> None:
    answer = slack.command(ADMIN, f"role keino <@{OUTSIDER}|sara> coordinator")
    assert "Sara Lindqvist is now in" in answer.text
    assert status_of(directory, "keino", OUTSIDER) == (MembershipStatus.ACTIVE, "coordinator")


def test_the_last_coordinator_cannot_step_down(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(COORDINATOR, f"role {FORESIGHT} <@{COORDINATOR}|aino> member")
    assert "needs at least one coordinator" in answer.text
    assert snapshot(directory) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"role {FORESIGHT} mikko chair", "Name one person with @"),
        (f"role {FORESIGHT} <@{MEMBER}|mikko>", "Usage: `/network role NAME @person ROLE`"),
        (f"role {FORESIGHT} <@{MEMBER}|mikko> emperor", "“emperor” is not a role"),
        (f"role <@{MEMBER}|mikko> chair", "Which network?"),
    ],
)
def test_role_with_bad_arguments(slack: Slack, directory, text: str, expected: str) -> None:
    before = snapshot(directory)
    assert expected in slack.command(COORDINATOR, text).text
    assert snapshot(directory) == before


def test_role_for_someone_slack_does_not_know(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(COORDINATOR, f"role {FORESIGHT} <@U0GHOST|ghost> member")
    assert answer.to("users.info")[0].response["error"] == "user_not_found"
    assert "I could not find that person" in answer.text
    assert snapshot(directory) == before


# Unlisted networks ----------------------------------------------------------------------------


def test_an_unlisted_network_exists_only_for_its_members_and_admins(slack: Slack, directory):
    set_policy(directory, slack.standin, FORESIGHT, JoinPolicy.OPEN, listed=False)
    before = snapshot(directory)
    assert "National foresight network" not in slack.command(OUTSIDER, "list ennakointi").text
    for text in (f"info {FORESIGHT}", f"join {FORESIGHT}", f"members {FORESIGHT}"):
        answer = slack.command(OUTSIDER, text)
        assert "I found no network called" in answer.text, text
    forged = slack.click(OUTSIDER, ActionId.JOIN, str(network(directory, FORESIGHT).id))
    assert "That button is out of date" in forged.text
    assert snapshot(directory) == before
    member_view = slack.command(MEMBER, f"info {FORESIGHT}").text
    assert "Unlisted: only its members and workspace admins can find it." in member_view
    assert "National foresight network" in slack.command(MEMBER, "list ennakointi").text
    assert "National foresight network" in slack.command(ADMIN, f"info {FORESIGHT}").text
