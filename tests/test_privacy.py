"""A person's own data: what is kept and why, a complete export of it (and of nobody else's),
forgetting them, the retention rule, and deactivated accounts; through signed requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.clock import FrozenClock
from bot.domain import Delivery, MembershipStatus
from bot.services import Services
from handlers.slack.standin.model import TEAM_ID
from handlers.slack.standin.server import Call, WebApiStandIn
from storage.models import Ballot, Base, OutboxMessage, Poll, ProcessedEvent, Signal
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    GENERAL,
    LINKED,
    MEMBER,
    OUTSIDER,
    Slack,
    memberships,
    snapshot,
    status_of,
)
from tests.test_digests import a_week_of_activity
from tests.test_events import announce, click, event_id
from tests.test_polls import press, vote

MIKKO = "Mikko Korhonen"
OTHERS = {COORDINATOR: "Aino Virtanen", OUTSIDER: "Sara Lindqvist", ADMIN: "Olli Mäkinen"}
SECRET_BALLOT = "Should we merge with the EU foresight network?"


def anonymous_poll(slack: Slack) -> Call:
    """An anonymous poll in the foresight channel, answered "Yes" by Mikko, Aino and Olli."""
    asked = slack.command(COORDINATOR, f'poll {FORESIGHT} "{SECRET_BALLOT}" "Yes" "No" --anonymous')
    [poll] = asked.to("chat.postMessage")
    for person in (MEMBER, COORDINATOR, ADMIN):
        vote(slack, person, poll, "Yes")
    return poll


def totals(services: Services, question: str) -> dict[str, int]:
    """Votes per option label of a poll, as the database counts them."""
    with services.db.snapshot() as store:
        poll = store.session.scalar(select(Poll).where(Poll.question == question))
        assert poll is not None
        _, votes = store.ballots.tallies([poll.id]).get(poll.id, (0, {}))
        return {option.label: votes.get(option.id, 0) for option in poll.options}


def every_row(services: Services) -> dict[str, list[str]]:
    """Every row of every table, as text."""
    with services.db.snapshot() as store:
        return {
            table.name: [repr(tuple(row)) for row in store.session.execute(select(table))]
            for table in Base.metadata.sorted_tables
        }


def test_privacy_says_what_is_kept_why_and_for_how_long(slack: Slack, directory: Services) -> None:
    answer = slack.command(OUTSIDER, "privacy")
    body = answer.text
    assert "What Verkosto keeps about you, and why" in body
    assert "In anonymous polls nothing leads back to you" in body
    assert "deleted after 730 days" in body
    assert (
        "If your workspace removes Verkosto, everything kept of it is deleted 730 days later"
        in (body)
    )
    assert "memberships 0, event answers 0, weak signals 0" in body
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert "memberships 1," in slack.command(OUTSIDER, "tietosuoja").text
    slack.command(OUTSIDER, "settings language sv")
    assert "Sparat om dig nu: medlemskap 1," in slack.command(OUTSIDER, "integritet").text
    assert "integritet [exportera|glöm]" in slack.command(OUTSIDER, "privacy everything").text


def test_the_export_holds_everything_about_the_person_and_nothing_about_anyone_else(
    slack: Slack, directory: Services, clock: FrozenClock, standin: WebApiStandIn
) -> None:
    a_week_of_activity(slack, clock)
    anonymous_poll(slack)
    answer = slack.command(MEMBER, "privacy export")
    assert "I sent you everything Verkosto keeps about you as a JSON file" in answer.text
    [upload] = standin.files.values()
    assert upload["channel"] == "D0MIKKO" and upload["filename"] == "verkosto-my-data.json"
    content = upload["content"].decode()
    data = json.loads(content)

    assert data["profile"]["user_id"] == MEMBER and data["profile"]["display_name"] == MIKKO
    assert data["settings"]["personal_digest"] == "weekly"
    assert [(m["network"], m["role"], m["status"]) for m in data["memberships"]] == [
        (FORESIGHT, "member", "active")
    ]
    assert [(r["event"], r["answer"]) for r in data["rsvps"]] == [("Foresight morning", "going")]
    assert [s["text"] for s in data["signals"]] == ["Rural libraries lend out VR headsets"]
    assert [(v["poll"], v["chose"]) for v in data["votes"]] == [("Next theme?", ["Water"])]
    assert SECRET_BALLOT not in content, "an anonymous vote is not linked to anyone"
    for user_id, name in OTHERS.items():
        assert user_id not in content and name not in content


def test_forget_asks_first_then_leaves_nothing_that_names_the_person(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    a_week_of_activity(slack, clock)
    anonymous_poll(slack)
    slack.command(MEMBER, "privacy export")  # a direct message, kept in the outbox's history
    secret_before = totals(directory, SECRET_BALLOT)
    assert secret_before == {"Yes": 3, "No": 0}
    public_before = totals(directory, "Next theme?")
    with directory.db.snapshot() as store:
        person = store.people.by_user(store.workspaces.by_team(TEAM_ID).id, MEMBER)
        secret = store.session.scalar(select(Poll.id).where(Poll.question == SECRET_BALLOT))
        ballot_of_mikko = (secret, directory.polls.voter_key(secret, person.id))
        assert ballot_of_mikko in store.session.execute(select(Ballot.poll_id, Ballot.voter))
    before = snapshot(directory)

    asked = slack.command(MEMBER, "privacy forget")
    assert "*Forgetting you removes* your profile and settings" in asked.text
    assert "memberships 1, event answers 1, weak signals 1, votes in polls" in asked.text
    assert "events you created 0, weak signals you saved 1" in asked.text
    assert snapshot(directory) == before, "asking changes nothing"
    [forget] = asked.buttons()
    assert forget["style"] == "danger" and forget["confirm"]["title"]["text"] == "Forget me?"

    done = slack.click(MEMBER, forget["action_id"], forget["value"])
    assert "Verkosto has forgotten you" in done.text
    assert "removed 1 memberships, 1 event answers and 1 votes; 1 anonymous votes" in done.text

    rows = every_row(directory)
    for table, texts in rows.items():
        for text in texts:
            assert MEMBER not in text and MIKKO not in text, (table, text)
            assert "D0MIKKO" not in text, (table, text)
    assert totals(directory, SECRET_BALLOT) == secret_before, "anonymous totals unchanged"
    with directory.db.snapshot() as store:
        voters = set(store.session.execute(select(Ballot.poll_id, Ballot.voter)))
        assert ballot_of_mikko not in voters, "the anonymous ballot no longer leads to him"
    assert totals(directory, "Next theme?") == {
        label: count - (label == "Water") for label, count in public_before.items()
    }, "the attributable vote is gone"
    with directory.db.snapshot() as store:
        [signal] = store.session.scalars(select(Signal))
        assert signal.author_id is None and signal.text == "Rural libraries lend out VR headsets"
    listed = slack.command(COORDINATOR, f"signals {FORESIGHT}")
    assert "noted by a former member" in listed.text
    assert "Verkosto keeps nothing about you any more" not in slack.command(MEMBER, "privacy").text


def test_the_only_coordinator_is_told_the_network_will_have_none(
    slack: Slack, directory: Services
) -> None:
    asked = slack.command(COORDINATOR, "privacy forget")
    assert "You are the only coordinator of National foresight network" in asked.text


def test_old_records_are_let_go_after_the_retention_period(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    began = clock.now()
    slack.event(user_id=OUTSIDER, channel_id=LINKED)  # an Events API delivery id is kept
    _, posted = announce(slack)
    for going in (MEMBER, COORDINATOR):
        click(slack, going, "going", event_id(posted))
    clock.advance(datetime(2026, 12, 10, 10, 1, tzinfo=UTC) - clock.now())  # it has ended
    asked = {c.params["channel"]: c for c in slack.worker().posted()}
    form = press_comment(slack, asked[MEMBER])
    comment = {"comment": {"value": {"type": "plain_text_input", "value": "Shorter talks"}}}
    slack.submit(MEMBER, form, comment)
    clock.advance(timedelta(days=3))
    slack.worker()  # the feedback closes and its summary is sent
    ended = clock.now()

    def kept() -> tuple[int, int, int]:
        """What the setup stored: sent messages, delivery ids and comments."""
        with directory.db.snapshot() as store:
            count = store.session.scalar
            sent = count(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state == Delivery.SENT, OutboxMessage.created_at <= ended)
            )
            deliveries = count(select(func.count()).select_from(ProcessedEvent))
            comments = count(
                select(func.count()).select_from(Ballot).where(Ballot.comment.is_not(None))
            )
            return sent or 0, deliveries or 0, comments or 0

    sent, deliveries, comments = kept()
    assert sent > 0 and deliveries == 1 and comments == 1
    clock.advance(began + timedelta(days=730) - clock.now())
    slack.worker()
    assert kept() == (sent, deliveries, comments), "nothing before its time"
    clock.advance(ended + timedelta(days=730, minutes=1) - clock.now())
    slack.worker()
    assert kept() == (0, 0, 0)


def press_comment(slack: Slack, request: Call) -> dict[str, Any]:
    opened = press(slack, MEMBER, request, "poll.comment")
    return opened.to("views.open")[0].response["view"]


def test_a_deactivated_account_has_left_its_networks_and_the_report_counts_it(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert status_of(directory, FORESIGHT, OUTSIDER) == (MembershipStatus.ACTIVE, "member")
    clock.advance(timedelta(days=1))
    user = {"id": OUTSIDER, "team_id": TEAM_ID, "name": "sara", "deleted": False}
    slack.driver.event({"type": "user_change", "user": user})
    assert status_of(directory, FORESIGHT, OUTSIDER) is not None, "a profile edit changes nothing"
    slack.driver.event({"type": "user_change", "user": {**user, "deleted": True}})
    assert status_of(directory, FORESIGHT, OUTSIDER) is None
    [spell] = memberships(directory, FORESIGHT, OUTSIDER)
    assert spell.status is MembershipStatus.LEFT and spell.left_at == clock.now()
    clock.advance(timedelta(hours=1))
    report = slack.command(COORDINATOR, f"report {FORESIGHT} 1w")
    assert "(3 joined, 1 left)" in report.text


def test_privacy_commands_answer_in_the_channel_they_were_typed_in_only_to_the_person(
    slack: Slack, directory: Services
) -> None:
    answer = slack.command(MEMBER, "privacy", channel_id=GENERAL)
    assert answer.posted() == [], "nothing is posted for others to see"
    assert answer.reply.method == "response_url" and answer.reply.params["response_type"] != (
        "in_channel"
    )
