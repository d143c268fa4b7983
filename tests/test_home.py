"""The App Home tab: published on `app_home_opened` for a new person, a member and a coordinator;
valid Block Kit within Slack's 100 blocks; and every button on it works through the real
dispatch path (signed `block_actions` from the Home view), after which the Home is published
again as it now stands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.clock import FrozenClock
from bot.domain import Attendance, DigestFrequency, MembershipStatus
from bot.services import Services
from handlers.slack.standin.block_rules import check_view
from handlers.slack.standin.model import TEAM_ID
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Network
from tests.support import (
    ADMIN,
    COORDINATOR,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    add_members,
    as_actor,
    status_of,
    text_of,
)
from tests.test_digests import a_week_of_activity
from tests.test_membership import HR, coordinated_by_aino
from tests.test_membership import JoinPolicy as Policy


def texts(view: dict[str, Any]) -> str:
    """Everything the view says, in one string."""
    found = []
    for block in view["blocks"]:
        for part in (block.get("text"), *(block.get("elements") or []), block.get("accessory")):
            if isinstance(part, dict):
                found.append(str(part.get("text", "")))
    return "\n".join(found)


def elements(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button and menu of a view, with the block it sits in."""
    found = []
    for block in view["blocks"]:
        for element in [*(block.get("elements") or []), block.get("accessory")]:
            if isinstance(element, dict) and element.get("type") in ("button", "static_select"):
                found.append({**element, "block_id": block.get("block_id", "b")})
    return found


def the(view: dict[str, Any], action_id: str, value: str | None = None) -> dict[str, Any]:
    return next(
        e
        for e in elements(view)
        if e["action_id"].startswith(action_id) and (value is None or e.get("value") == value)
    )


def valid(view: dict[str, Any]) -> None:
    """What Slack itself would check, and slack_sdk's own model of a view."""
    assert check_view(view) == []
    assert len(view["blocks"]) <= 100
    View(**{k: v for k, v in view.items() if k not in ("id", "state")}).validate_json()


def republished(exchange: Exchange, user_id: str) -> dict[str, Any]:
    [published] = exchange.to("views.publish")
    assert published.ok and published.params["user_id"] == user_id
    return published.params["view"]


def direct_message(exchange: Exchange, user_id: str) -> str:
    [sent] = [c for c in exchange.to("chat.postMessage") if c.params["channel"] == user_id]
    return text_of(sent)


def test_a_new_person_is_welcomed_and_can_find_networks(slack: Slack, directory: Services) -> None:
    home = slack.home(OUTSIDER)
    valid(home)
    shown = texts(home)
    assert "Welcome! Verkosto helps you find the professional networks" in shown
    assert "My settings" in shown and "For coordinators" not in shown
    assert the(home, "home.language")["initial_option"]["value"] == "en"
    assert the(home, "home.digest")["initial_option"]["value"] == "weekly"

    opened = slack.press(OUTSIDER, home, the(home, "home.search"))
    [form] = opened.to("views.open")
    assert form.ok, form.response
    search = form.response["view"]
    found = slack.driver.submit(
        OUTSIDER, search, {"query": {"value": {"type": "plain_text_input", "value": "ennakointi"}}}
    )
    results = found.json()
    assert results["response_action"] == "update"
    assert "National foresight network" in str(results["view"])
    join = next(e for e in elements(results["view"]) if e["action_id"] == "network.join")
    joined = slack.press(OUTSIDER, results["view"], join)
    assert "You are now a member of" in direct_message(joined, OUTSIDER)
    assert len(directory.memberships.mine(as_actor(directory, slack.standin, OUTSIDER))) == 1


def test_a_member_sees_networks_events_and_polls_and_answers_from_the_home(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    a_week_of_activity(slack, clock)
    slack.command(MEMBER, "join ennakointiluotsi")
    home = slack.home(MEMBER)
    valid(home)
    shown = texts(home)
    assert "*National foresight network* · member · next: *Foresight morning*" in shown
    assert "*Foresight pilot group* · member" in shown
    assert "1 poll waiting for you" in shown
    assert "Events I am going to" in shown and "*Foresight morning*" in shown
    assert "Where do we meet in spring?" in shown
    assert "Next theme?" not in shown, "closed, and he voted in it"

    oulu = the(home, "poll.vote", None)
    assert oulu["text"]["text"] == "Oulu"
    voted = slack.press(MEMBER, home, oulu)
    assert "Your vote" in direct_message(voted, MEMBER)
    after = republished(voted, MEMBER)
    assert "Where do we meet in spring?" not in texts(after)

    not_going = the(after, "event.not_going")
    answered = slack.press(MEMBER, after, not_going)
    with directory.db.snapshot() as store:
        person = store.people.by_user(store.workspaces.by_team(TEAM_ID).id, MEMBER)
        [rsvp] = store.personal_data.rsvps(person.id)
        assert rsvp[0].attendance is Attendance.NOT_GOING
    assert "Events I am going to" not in texts(republished(answered, MEMBER))


@pytest.fixture
def hr(slack: Slack, directory: Services) -> Services:
    return coordinated_by_aino(slack, directory, HR, Policy.REQUEST)


def test_a_coordinator_answers_requests_and_finds_quick_actions(
    slack: Slack, hr: Services, standin: WebApiStandIn
) -> None:
    slack.command(OUTSIDER, f"join {HR}")
    home = slack.home(COORDINATOR)
    valid(home)
    shown = texts(home)
    assert "For coordinators" in shown
    assert "*Sara Lindqvist* asks to join *HR lawyers' network*" in shown
    approved = slack.press(COORDINATOR, home, the(home, "request.approve"))
    assert status_of(hr, HR, OUTSIDER) == (MembershipStatus.ACTIVE, "member")
    assert "No requests are waiting for an answer." in texts(republished(approved, COORDINATOR))

    announce = slack.press(COORDINATOR, home, the(home, "home.event", HR))
    [form] = announce.to("views.open")
    assert form.ok and form.params["view"]["callback_id"] == "event.form"
    poll = slack.press(COORDINATOR, home, the(home, "home.poll", HR))
    assert poll.to("views.open")[0].ok
    report = slack.press(COORDINATOR, home, the(home, "home.report", HR))
    assert f"{HR}-report.png" in {f["filename"] for f in standin.files.values()}
    assert "I sent you the chart and the CSV" in direct_message(report, COORDINATOR)


def test_settings_change_from_the_menus_and_the_home_follows(
    slack: Slack, directory: Services
) -> None:
    home = slack.home(MEMBER)
    finnish = slack.press(MEMBER, home, the(home, "home.language"), choice="fi")
    assert "Verkostoni" in texts(republished(finnish, MEMBER))
    home = slack.standin.homes[MEMBER]
    slack.press(MEMBER, home, the(home, "home.digest"), choice="never")
    slack.press(MEMBER, home, the(home, "home.reminders"), choice="off")
    actor = as_actor(directory, slack.standin, MEMBER)
    assert directory.people.digest_frequency(actor) is DigestFrequency.NEVER
    assert directory.people.reminders_enabled(actor) is False


def test_fifty_networks_fit_in_the_home_and_show_all_opens_the_rest(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    admin = as_actor(directory, standin, ADMIN)
    with directory.db.snapshot() as store:
        existing = store.session.query(Network).count()
    for number in range(50 - existing):
        directory.networks.create(
            admin, {"name_fi": f"Testiverkosto {number}", "category": "development"}
        )
    with directory.db.snapshot() as store:
        slugs = [network.slug for network in store.session.query(Network)]
    assert len(slugs) == 50
    for slug in slugs:
        if status_of(directory, slug, MEMBER) is None:
            add_members(directory, standin, slug, [MEMBER])
    home = slack.home(MEMBER)
    valid(home)
    show_all = the(home, "home.all", "networks")
    assert show_all["text"]["text"] == "Show all (50)"
    opened = slack.press(MEMBER, home, show_all)
    [modal] = opened.to("views.open")
    assert modal.ok, modal.response
    assert len(modal.params["view"]["blocks"]) == 50


def test_every_button_and_menu_on_the_home_goes_through_the_dispatch(
    slack: Slack, hr: Services, clock: FrozenClock
) -> None:
    clock.advance(datetime(2026, 11, 30, 8, tzinfo=UTC) - clock.now())
    a_week_of_activity(slack, clock)
    slack.command(OUTSIDER, f"join {HR}")
    for user_id in (COORDINATOR, MEMBER, OUTSIDER):
        home = slack.home(user_id)
        for element in elements(home):
            choice = element["options"][-1]["value"] if element["type"] == "static_select" else None
            pressed = slack.press(user_id, home, element, choice=choice)
            assert pressed.response.status == 200, element["action_id"]
            said = " ".join(text_of(c) for c in pressed.to("chat.postMessage"))
            assert "Something went wrong" not in said, (element["action_id"], said)
