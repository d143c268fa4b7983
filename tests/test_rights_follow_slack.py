"""A person's admin flag, name and time zone follow Slack: from `user_change` at once, and from
`users.info` when the stored profile is a day old. Signed requests and events against the
stand-in; what Slack received and what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import Platform
from bot.results.people import Profile
from bot.services import Services
from handlers.slack.payloads import user_profile
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Person
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    network,
    snapshot,
    status_of,
)
from tests.test_events import announce, click, direct_messages, event_id
from tests.test_network_form import as_opened, open_form, text

EDITED = "Foresight producers meet on Fridays."


def stored(services: Services, user_id: str) -> Person:
    with services.db.snapshot() as store:
        person = store.session.scalar(select(Person).where(Person.user_id == user_id))
        assert person is not None
        return person


def slack_changes(slack: Slack, standin: WebApiStandIn, user_id: str, **changes: Any) -> None:
    """Someone's profile changes in Slack, which tells the app with a `user_change` event."""
    user = standin.users[user_id]
    for field, value in changes.items():
        setattr(user, field, value)
    user.updated += 60
    response = slack.driver.event({"type": "user_change", "user": user.as_api()})
    assert response.status == 200


def edit_description(slack: Slack, user_id: str) -> Exchange:
    view = open_form(slack, user_id, f"edit {FORESIGHT}")
    values = as_opened(view)
    values["description_en"] = text(EDITED)
    return slack.submit(user_id, view, values)


def users_info(exchange: Exchange) -> list[str]:
    return [call.params["user"] for call in exchange.to("users.info")]


def test_an_admin_taken_away_in_slack_can_no_longer_edit_give_roles_or_report(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    saved = edit_description(slack, ADMIN)
    assert saved.response.json()["response_action"] == "update"
    edited = network(directory, FORESIGHT)
    assert edited is not None and edited.description_en == EDITED, "an admin edits any network"

    slack_changes(slack, standin, ADMIN, is_admin=False)
    assert stored(directory, ADMIN).is_workspace_admin is False

    before = snapshot(directory)
    edit = slack.command(ADMIN, f"edit {FORESIGHT}")
    assert "Only the coordinators of *National foresight network* can do that" in edit.text
    assert edit.to("views.open") == []
    role = slack.command(ADMIN, f"role {FORESIGHT} <@{OUTSIDER}|sara> member")
    assert "Only the coordinators of *National foresight network*" in role.text
    report = slack.command(ADMIN, f"report {FORESIGHT}")
    assert "Only the coordinators of *National foresight network*" in report.text
    assert standin.files == {} and status_of(directory, FORESIGHT, OUTSIDER) is None
    assert snapshot(directory) == before
    assert users_info(edit) + users_info(role) + users_info(report) == [], "the event sufficed"


def test_a_renamed_person_shows_their_new_name_in_members(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    assert "Mikko Korhonen" in slack.command(COORDINATOR, f"members {FORESIGHT}").text
    slack_changes(slack, standin, MEMBER, real_name="Mikko Kuusela")
    members = slack.command(COORDINATOR, f"members {FORESIGHT}").text
    assert "Mikko Kuusela" in members and "Mikko Korhonen" not in members


def test_a_changed_time_zone_moves_the_reminders_wording(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    click(slack, OUTSIDER, "going", event_id(posted))
    slack_changes(slack, standin, MEMBER, tz="America/New_York")

    starts = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    clock.advance(starts - timedelta(days=1) - clock.now())
    day_before = slack.worker()
    [in_new_york] = direct_messages(day_before, MEMBER)
    [in_helsinki] = direct_messages(day_before, OUTSIDER)
    assert "10:00" in in_helsinki and "10:00" not in in_new_york
    assert "03:00" in in_new_york, in_new_york


def test_a_profile_a_day_old_is_read_again_by_the_worker_and_a_failed_read_keeps_the_old_one(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    assert slack.worker().to("users.info") == [], "read less than a day ago"

    # Taken away in Slack, and the event was lost. A day later Olli acts, as an admin still.
    standin.users[ADMIN].is_admin = False
    standin.users[ADMIN].updated += 60
    clock.advance(timedelta(days=1, minutes=1))
    assert slack.command(ADMIN, f"edit {FORESIGHT}").to("views.open")
    assert slack.command(ADMIN, f"edit {FORESIGHT}").to("users.info") == [], "not in a request"

    standin.fail("users.info", error="ratelimited")
    failed = slack.worker()
    assert users_info(failed) == [ADMIN], "only he has used the bot since, so only he is read"
    assert stored(directory, ADMIN).is_workspace_admin is True, "the old value holds"

    clock.advance(timedelta(minutes=1))
    assert users_info(slack.worker()) == [ADMIN]
    person = stored(directory, ADMIN)
    assert person.is_workspace_admin is False and person.profile_checked_at == clock.now()
    refused = slack.command(ADMIN, f"edit {FORESIGHT}")
    assert "Only the coordinators of *National foresight network* can do that" in refused.text
    clock.advance(timedelta(minutes=1))
    assert slack.worker().to("users.info") == [], "then not again for a day"


def test_the_worker_reads_at_most_fifty_profiles_a_minute(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=1, minutes=1))
    people = [f"U0MANY{number:03d}" for number in range(60)]
    for user_id in people:
        standin.add_user(user_id, user_id.lower(), f"Person {user_id}")
        slack.command(user_id, "help")  # met today: read now, and not again for a day
    for user_id in (*people[:55], MEMBER):
        standin.users[user_id].real_name += " (renamed)"
    clock.advance(timedelta(days=1, minutes=1))
    for user_id in (*people[:55], MEMBER):
        slack.command(user_id, "help")
    first = users_info(slack.worker())
    clock.advance(timedelta(minutes=1))
    second = users_info(slack.worker())
    assert len(first) == 50 and len(second) == 6
    assert sorted(first + second) == sorted([*people[:55], MEMBER]), "not who did not come back"
    assert stored(directory, MEMBER).display_name == "Mikko Korhonen (renamed)"


def test_an_older_profile_never_puts_back_what_a_newer_one_took_away(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    admin = standin.users[ADMIN].as_api()
    slack_changes(slack, standin, ADMIN, is_admin=False)
    slack.driver.event({"type": "user_change", "user": admin})  # delivered late
    assert stored(directory, ADMIN).is_workspace_admin is False
    assert "Only the coordinators" in slack.command(ADMIN, f"edit {FORESIGHT}").text


def test_a_read_under_way_when_slack_announces_a_change_does_not_undo_it(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=1, minutes=1))
    slack.command(ADMIN, "help")  # his profile is a day old: due to be read again
    read_before_the_change = user_profile(standin.users[ADMIN].as_api())

    def slack_answers_after_the_change_arrived(_team_id: str, user_id: str) -> Profile:
        # Taken away while users.info was answering; `updated` need not move for a role.
        standin.users[ADMIN].is_admin = False
        slack.driver.event({"type": "user_change", "user": standin.users[ADMIN].as_api()})
        assert stored(directory, ADMIN).is_workspace_admin is False
        return read_before_the_change

    directory.people.refresh_profiles(
        {Platform.SLACK: slack_answers_after_the_change_arrived}, limit=50
    )
    assert stored(directory, ADMIN).is_workspace_admin is False
    assert "Only the coordinators" in slack.command(ADMIN, f"edit {FORESIGHT}").text


def test_an_account_deactivated_when_the_event_was_lost_leaves_its_networks_at_the_next_read(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    assert status_of(directory, FORESIGHT, MEMBER) is not None
    clock.advance(timedelta(days=1, minutes=1))
    slack.command(MEMBER, "help")
    standin.users[MEMBER].deleted = True  # and no user_change reaches the app
    read = slack.worker()
    assert users_info(read) == [MEMBER]
    assert status_of(directory, FORESIGHT, MEMBER) is None
    assert stored(directory, MEMBER).profile_checked_at == clock.now()
    clock.advance(timedelta(minutes=1))
    assert slack.worker().to("users.info") == [], "not read again every minute"


def test_people_the_bot_has_not_met_are_not_stored_from_events(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    standin.add_user("U0NEW", "uusi", "Uusi Ihminen")
    slack_changes(slack, standin, "U0NEW", tz="Europe/Stockholm")
    with directory.db.snapshot() as store:
        assert store.session.scalar(select(Person).where(Person.user_id == "U0NEW")) is None


def test_the_privacy_export_says_when_the_profile_was_read(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    explained = slack.command(MEMBER, "privacy").text
    assert "whether you are a workspace admin" in explained and "at least daily" in explained
    slack_changes(slack, standin, MEMBER, tz="Europe/Stockholm")
    slack.command(MEMBER, "privacy export")
    [exported] = [f for f in standin.files.values() if f["filename"] == "verkosto-my-data.json"]
    content = exported["content"].decode()
    assert f'"profile_read": "{clock.now().isoformat()}' in content
    changed = datetime.fromtimestamp(standin.users[MEMBER].updated, UTC).isoformat()
    assert f'"profile_changed_in_slack": "{changed}"' in content
    assert "when Slack last changed them" in explained


def test_a_change_with_an_impossible_updated_time_is_taken_and_the_export_still_works(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    user = {**standin.users[MEMBER].as_api(), "updated": 10**15, "tz": "Europe/Stockholm"}
    assert slack.driver.event({"type": "user_change", "user": user}).status == 200
    assert stored(directory, MEMBER).timezone == "Europe/Stockholm"
    slack.command(MEMBER, "privacy export")
    [exported] = [f for f in standin.files.values() if f["filename"] == "verkosto-my-data.json"]
    assert '"profile_changed_in_slack": null' in exported["content"].decode()
