"""Who may do what to a network: every managing or taking-part command, and every button that
changes something, against every role (someone outside it, someone whose request waits, a
member, each structural role, a coordinator, a workspace admin), through signed requests; and
buttons forged with another network's ids are refused.

The rule (DESIGN.md, bot/domain.Role): coordinators and workspace admins manage a network;
active members, whatever their structural role, take part in it; nobody else does either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import pytest

from bot.clock import FrozenClock
from bot.domain import JoinPolicy, MembershipStatus, Role
from bot.services import Services
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    as_actor,
    buttons_of,
    memberships,
    snapshot,
    text_of,
)
from tests.test_events import announce, event_id
from tests.test_membership import HR, coordinated_by_aino, set_policy
from tests.test_polls import form_poll

PENDING, CHAIR, SUPPORT, ADVISORY = "U0PENDING", "U0CHAIR", "U0SUPPORT", "U0ADVISORY"
ROLES = {
    "outside": OUTSIDER,
    "pending": PENDING,
    "member": MEMBER,
    "chair": CHAIR,
    "support group": SUPPORT,
    "advisory group": ADVISORY,
    "coordinator": COORDINATOR,
    "workspace admin": ADMIN,
}
MANAGERS = {"coordinator", "workspace admin"}
TAKING_PART = {"member", "chair", "support group", "advisory group", "coordinator"}


def opened(exchange: Exchange) -> bool:
    return any(call.ok for call in exchange.to("views.open"))


def posted(exchange: Exchange) -> bool:
    return any(call.ok for call in exchange.to("chat.postMessage"))


def uploaded(exchange: Exchange) -> bool:
    return any(call.ok for call in exchange.to("files.completeUploadExternal"))


# (what is typed, how it shows that it was done, who may do it)
ACTIONS: dict[str, tuple[str, Callable[[Exchange], bool], set[str]]] = {
    "edit": (f"edit {FORESIGHT}", opened, MANAGERS),
    "report": (f"report {FORESIGHT}", uploaded, MANAGERS),
    "digest preview": (f"digest {FORESIGHT}", lambda e: "digest" in e.text.lower(), MANAGERS),
    "digest schedule": (
        f"settings digest {FORESIGHT} monthly",
        lambda e: "monthly" in e.text.lower() and "only" not in e.text.lower(),
        MANAGERS,
    ),
    "export signals": (f"signals {FORESIGHT} export", uploaded, MANAGERS),
    "give a role": (f"role {FORESIGHT} <@{OUTSIDER}> member", lambda e: "Sara" in e.text, MANAGERS),
    "announce": (f"event {FORESIGHT}", opened, MANAGERS),
    "poll": (f'poll {FORESIGHT} "Which day?" "Mon" "Tue"', posted, MANAGERS),
    "signal": (f"signal {FORESIGHT} Libraries lend VR headsets", posted, TAKING_PART),
    "list signals": (
        f"signals {FORESIGHT}",
        lambda e: "weak signal" in e.text and "Only" not in e.text,
        TAKING_PART,
    ),
}


@pytest.fixture
def roles(slack: Slack, directory: Services) -> Services:
    """The foresight network takes requests: one waits; three members hold structural roles."""
    set_policy(directory, slack.standin, FORESIGHT, JoinPolicy.REQUEST)
    admin = as_actor(directory, slack.standin, ADMIN)
    for user_id, role in (
        (CHAIR, Role.CHAIR),
        (SUPPORT, Role.SUPPORT_GROUP),
        (ADVISORY, Role.ADVISORY_GROUP),
    ):
        slack.standin.add_user(user_id, user_id.lower(), f"Person {user_id}")
        as_actor(directory, slack.standin, user_id)
        directory.memberships.set_role(admin, FORESIGHT, user_id, role)
    slack.standin.add_user(PENDING, "pending", "Person Pending")
    slack.command(PENDING, f"join {FORESIGHT}")
    slack.worker()
    slack.standin.reset()
    return directory


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_do_what(slack: Slack, roles: Services, role: str, action: str) -> None:
    typed, done, allowed = ACTIONS[action]
    before = snapshot(roles)
    answer = slack.command(ROLES[role], typed)
    if role in allowed:
        assert done(answer), (role, action, answer.text)
    else:
        assert not done(answer), (role, action, answer.text)
        assert answer.text, "a refusal says why"
        assert snapshot(roles) == before, "a refusal changes nothing"


def test_a_request_of_another_network_cannot_be_approved_with_a_forged_button(
    slack: Slack, directory: Services
) -> None:
    coordinated_by_aino(slack, directory, HR, JoinPolicy.REQUEST)
    asked = slack.command(OUTSIDER, f"join {HR}")
    [notice] = asked.to("chat.postMessage")
    approve = next(b for b in buttons_of(notice) if b["action_id"] == "request.approve")
    before = snapshot(directory)
    forged = slack.click(MEMBER, approve["action_id"], approve["value"])
    assert "Only the coordinators of *HR lawyers' network*" in forged.text
    assert snapshot(directory) == before


def test_a_vote_with_another_polls_option_is_refused(slack: Slack, directory: Services) -> None:
    first = slack.command(COORDINATOR, f'poll {FORESIGHT} "First?" "A" "B"')
    second = slack.command(COORDINATOR, f'poll {FORESIGHT} "Second?" "C" "D"')
    [poll_a] = first.to("chat.postMessage")
    [poll_b] = second.to("chat.postMessage")
    vote_a = next(b for b in buttons_of(poll_a) if b["action_id"].startswith("poll.vote"))
    vote_b = next(b for b in buttons_of(poll_b) if b["action_id"].startswith("poll.vote"))
    poll_id = vote_a["value"].split(":")[0]
    option_of_b = vote_b["value"].split(":")[1]
    before = snapshot(directory)
    forged = slack.click(MEMBER, vote_a["action_id"], f"{poll_id}:{option_of_b}")
    assert forged.text and "Your vote" not in forged.text
    assert snapshot(directory) == before


# Buttons ----------------------------------------------------------------------------------------

AUTHOR = "U0AUTHOR"
Done = Literal["changed", "opened", "uploaded"]
EVERYONE = set(ROLES)  # a listed network's events are open to the whole workspace
ASKER = {"coordinator"}  # Aino asked the poll; reminding those who have not voted is hers


def changed(before: dict[str, Any], services: Services) -> bool:
    return snapshot(services) != before


@dataclass(frozen=True)
class Buttons:
    """The ids the buttons of the foresight network's messages carry."""

    request: int
    event: int
    poll: int
    option: int
    signal: int


@pytest.fixture
def buttons(slack: Slack, roles: Services, clock: FrozenClock) -> Buttons:
    """An event, a poll that takes members' options, a weak signal by a fifth member, and the
    pending request, as their buttons carry them."""
    _, announcement = announce(slack)
    poll = form_poll(slack, add_options=True)
    slack.standin.add_user(AUTHOR, "author", "Person Author")
    as_actor(roles, slack.standin, AUTHOR)
    admin = as_actor(roles, slack.standin, ADMIN)
    roles.memberships.set_role(admin, FORESIGHT, AUTHOR, Role.MEMBER)
    author = as_actor(roles, slack.standin, AUTHOR)
    signal = roles.signals.record(author, "Libraries lend VR headsets", name=FORESIGHT).card
    slack.worker()
    [request] = [
        spell
        for spell in memberships(roles, FORESIGHT, PENDING)
        if spell.status is MembershipStatus.PENDING
    ]
    vote = next(b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote"))
    poll_id, option_id = (int(part) for part in vote["value"].split(":"))
    slack.standin.reset()
    clock.advance(timedelta(minutes=1))
    return Buttons(request.id, event_id(announcement), poll_id, option_id, signal.id)


# (the button, its value, how it shows that it was done, who may press it)
BUTTONS: dict[str, tuple[str, Callable[[Buttons], str], Done, set[str]]] = {
    "approve": ("request.approve", lambda b: str(b.request), "changed", MANAGERS),
    "decline": ("request.decline", lambda b: str(b.request), "changed", MANAGERS),
    "going": ("event.going", lambda b: str(b.event), "changed", EVERYONE),
    "maybe": ("event.maybe", lambda b: str(b.event), "changed", EVERYONE),
    "not going": ("event.not_going", lambda b: str(b.event), "changed", EVERYONE),
    "edit event": ("event.edit", lambda b: str(b.event), "opened", MANAGERS),
    "cancel event": ("event.cancel", lambda b: str(b.event), "changed", MANAGERS),
    "vote": ("poll.vote", lambda b: f"{b.poll}:{b.option}", "changed", TAKING_PART),
    "add option": ("poll.add_option", lambda b: str(b.poll), "opened", TAKING_PART),
    "nudge": ("poll.nudge", lambda b: str(b.poll), "changed", ASKER),
    "close poll": ("poll.close", lambda b: str(b.poll), "changed", MANAGERS),
    "+1 signal": ("signal.second", lambda b: str(b.signal), "changed", TAKING_PART),
    "announce from home": ("home.event", lambda b: FORESIGHT, "opened", MANAGERS),
    "poll from home": ("home.poll", lambda b: FORESIGHT, "opened", MANAGERS),
    "report from home": ("home.report", lambda b: FORESIGHT, "uploaded", MANAGERS),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("pressed", list(BUTTONS))
def test_who_may_press_what(
    slack: Slack, roles: Services, buttons: Buttons, role: str, pressed: str
) -> None:
    action_id, value, done, allowed = BUTTONS[pressed]
    before = snapshot(roles)
    answer = slack.click(ROLES[role], action_id, value(buttons), channel_id=LINKED)
    assert answer.response.status == 200
    shown = {
        "changed": changed(before, roles),
        "opened": opened(answer),
        "uploaded": uploaded(answer),
    }[done]
    if role in allowed:
        assert shown, (role, pressed, [text_of(c) for c in answer.calls])
    else:
        assert not shown and not opened(answer), (role, pressed)
        assert answer.replies and text_of(answer.replies[0]), "a refusal says why"
        assert snapshot(roles) == before, "a refusal changes nothing"
