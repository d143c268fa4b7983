"""A network's linked channel in trouble: a shared channel disconnected from this workspace, or
from another organisation; archived or deleted. Slack tells it by events; the networks linked to
the channel are marked, their coordinators see it on their Home with what to do, and the mark
goes when the channel works again or another channel is linked."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import ChannelTrouble
from bot.services import Services
from handlers.slack.standin.model import BOT_USER_ID
from tests.support import (
    COORDINATOR,
    FORESIGHT,
    GENERAL,
    LINKED,
    MEMBER,
    Slack,
    audit,
    network,
    snapshot,
)
from tests.test_home import texts, valid
from tests.test_network_form import as_opened, channel, open_form

OTHER_ORGANISATION = "T0KUNTA"


def unshared(slack: Slack, removed_team: str, still_shared: bool = False) -> None:
    event = {
        "type": "channel_unshared",
        "previously_connected_team_id": removed_team,
        "channel": LINKED,
        "is_ext_shared": still_shared,
        "event_ts": "1765000000.000100",
    }
    assert slack.driver.event(event).status == 200


def channel_event(slack: Slack, kind: str, **fields: Any) -> None:
    event = {"type": kind, "channel": LINKED, "event_ts": "1765000000.000200", **fields}
    assert slack.driver.event(event).status == 200


def trouble_of(services: Services) -> ChannelTrouble | None:
    found = network(services, FORESIGHT)
    assert found is not None
    return found.channel_trouble


def coordinators_home(slack: Slack) -> str:
    home = slack.home(COORDINATOR)
    valid(home)
    return texts(home)


def test_a_shared_channel_disconnected_from_this_workspace_is_shown_on_the_home(
    slack: Slack, directory: Services
) -> None:
    unshared(slack, removed_team=slack.driver.team_id)

    assert trouble_of(directory) is ChannelTrouble.DISCONNECTED
    shown = coordinators_home(slack)
    assert "*Channels to look after:*" in shown
    assert (
        f"• *National foresight network*: <#{LINKED}> is no longer shared with this workspace"
        in shown
    )
    assert f"Link another channel with `/network edit {FORESIGHT}`" in shown
    assert "Channels to look after" not in texts(slack.home(MEMBER)), "for coordinators only"
    assert ("network_edited", {"fields": ["channel_trouble"], "to": "disconnected"}) in audit(
        directory
    )

    channel_event(slack, "channel_shared", connected_team_id=slack.driver.team_id)
    assert trouble_of(directory) is None
    assert "Channels to look after" not in coordinators_home(slack)


def test_another_organisation_removed_from_the_channel_is_a_different_note(
    slack: Slack, directory: Services
) -> None:
    unshared(slack, removed_team=OTHER_ORGANISATION)

    assert trouble_of(directory) is ChannelTrouble.UNSHARED
    shown = coordinators_home(slack)
    assert f"<#{LINKED}> is no longer shared with one of the other organisations" in shown
    assert "the network's members from there no longer see it" in shown


def test_an_archived_channel_is_shown_until_it_is_unarchived(
    slack: Slack, directory: Services
) -> None:
    channel_event(slack, "channel_archive", user=COORDINATOR)

    assert trouble_of(directory) is ChannelTrouble.ARCHIVED
    assert f"<#{LINKED}> was archived" in coordinators_home(slack)
    channel_event(slack, "channel_unarchive", user=COORDINATOR)
    assert trouble_of(directory) is None


def test_unarchiving_does_not_mend_a_deleted_channel(slack: Slack, directory: Services) -> None:
    channel_event(slack, "group_deleted")
    channel_event(slack, "group_unarchive")

    assert trouble_of(directory) is ChannelTrouble.DELETED
    assert f"<#{LINKED}> was deleted" in coordinators_home(slack)


def test_linking_another_channel_clears_the_note(slack: Slack, directory: Services) -> None:
    channel_event(slack, "channel_deleted")
    view = open_form(slack, COORDINATOR, f"edit {FORESIGHT}")
    values = as_opened(view)
    values["channel_id"] = channel(GENERAL)
    slack.submit(COORDINATOR, view, values)

    edited = network(directory, FORESIGHT)
    assert edited is not None and edited.channel_id == GENERAL
    assert edited.channel_trouble is None and edited.channel_trouble_at is None
    assert "Channels to look after" not in coordinators_home(slack)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_note_is_in_the_coordinators_language(
    slack: Slack, directory: Services, language: str
) -> None:
    slack.command(COORDINATOR, f"settings language {language}")
    unshared(slack, removed_team=slack.driver.team_id)

    expected = {
        "fi": f"kanavaa <#{LINKED}> ei enää jaeta tähän työtilaan",
        "sv": f"<#{LINKED}> delas inte längre med den här arbetsytan",
    }
    assert expected[language] in coordinators_home(slack)


def test_someone_else_leaving_the_channel_changes_nothing(
    slack: Slack, directory: Services
) -> None:
    before = snapshot(directory)
    channel_event(slack, "member_left_channel", user=MEMBER, channel_type="C")
    assert snapshot(directory) == before


def test_an_unlinked_channel_changes_nothing(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    event = {"type": "channel_archive", "channel": GENERAL, "user": COORDINATOR}
    assert slack.driver.event(event).status == 200
    assert snapshot(directory) == before


def test_a_graver_trouble_stands_whatever_the_order_slack_tells_them_in(
    slack: Slack, directory: Services
) -> None:
    channel_event(slack, "group_deleted")
    channel_event(slack, "group_left", actor_id=COORDINATOR)
    assert trouble_of(directory) is ChannelTrouble.DELETED

    unshared(slack, removed_team=OTHER_ORGANISATION)
    assert trouble_of(directory) is ChannelTrouble.DELETED
    assert f"<#{LINKED}> was deleted" in coordinators_home(slack)


def test_a_trouble_told_twice_is_noted_once(slack: Slack, directory: Services) -> None:
    channel_event(slack, "channel_left", actor_id=MEMBER)
    channel_event(slack, "member_left_channel", user=BOT_USER_ID, channel_type="C")

    noted = ("network_edited", {"fields": ["channel_trouble"], "to": "bot_removed"})
    assert audit(directory).count(noted) == 1
    assert trouble_of(directory) is ChannelTrouble.BOT_REMOVED


def test_an_unarchived_channel_the_bot_was_removed_from_says_so(
    slack: Slack, directory: Services
) -> None:
    channel_event(slack, "channel_left", actor_id=COORDINATOR)
    slack.standin.channels[LINKED].members.discard(BOT_USER_ID)
    channel_event(slack, "channel_archive", user=COORDINATOR)
    assert trouble_of(directory) is ChannelTrouble.ARCHIVED

    channel_event(slack, "channel_unarchive", user=COORDINATOR)

    assert trouble_of(directory) is ChannelTrouble.BOT_REMOVED
    assert f"Verkosto was removed from <#{LINKED}>" in coordinators_home(slack)


def test_an_organisation_named_by_its_grid_id_is_another_organisation(
    slack: Slack, directory: Services
) -> None:
    unshared(slack, removed_team="E0KUNNAT")
    assert trouble_of(directory) is ChannelTrouble.UNSHARED


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("channel_left", {"actor_id": MEMBER}),
        ("member_left_channel", {"user": BOT_USER_ID, "channel_type": "C"}),
    ],
)
def test_the_bot_removed_from_the_channel_is_shown_until_it_is_invited_back(
    slack: Slack, directory: Services, kind: str, fields: dict[str, Any]
) -> None:
    channel_event(slack, kind, **fields)

    assert trouble_of(directory) is ChannelTrouble.BOT_REMOVED
    shown = coordinators_home(slack)
    assert f"Verkosto was removed from <#{LINKED}>" in shown
    assert "Type `/invite @Verkosto` in the channel" in shown

    assert slack.event(user_id=BOT_USER_ID, channel_id=LINKED).response.status == 200
    assert trouble_of(directory) is None
