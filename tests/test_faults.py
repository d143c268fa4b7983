"""Faults. Slack's bad moments during everything the bot sends: rate limits (429 with
Retry-After, and `ratelimited`), 500, 502 and 503, timeouts, dropped connections, and the
lasting refusals (`channel_not_found`, `not_in_channel`, `is_archived`, `user_not_found`,
`account_inactive`), each during an announcement, a reminder, a digest, a poll's closing and
the Home's publishing.

For each: the person who acted gets a clear answer; a passing fault delays the message, which
then reaches Slack exactly once (also when Slack took it but the answer was lost); a lasting one
is recorded as failed with its reason, which the network's coordinator sees on their Home.

Then the database's: a conflict or a lock during a request is tried again and counts once; a
database that keeps refusing, or a lost connection, gets a clear answer and nothing written; a
worker that cannot record a message it sent does not send it twice."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text

from bot.clock import FrozenClock
from bot.domain import Delivery, MessageKind
from bot.errors import Unavailable
from bot.services import Services
from handlers.slack.standin.server import DROP, TIMEOUT, WebApiStandIn
from storage.database import Database
from storage.models import Ballot, Event, OutboxMessage
from tests.support import COORDINATOR, LINKED, MEMBER, Slack, outbox_key, snapshot, words
from tests.test_digests import WEEK_1_DIGEST
from tests.test_events import announce, click, direct_messages, event_id, event_values, open_form
from tests.test_outbox import rows
from tests.test_polls import QUESTION, ask, vote

RECOVERY = timedelta(minutes=30)
PASSING: dict[str, dict[str, Any]] = {
    "429-retry-after": {"status": 429},  # with the Retry-After that `faults` gives
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "timeout": {"lost": TIMEOUT},
    "dropped-connection": {"lost": DROP},
    "ratelimited": {"error": "ratelimited"},
}
LASTING = (
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "account_inactive",
)
# What the coordinator's Home says for each lasting refusal.
SEEN_AS = {
    "channel_not_found": "the channel no longer exists",
    "not_in_channel": "I am not in the channel",
    "is_archived": "the channel is archived",
    "user_not_found": "the person's account is closed",
    "account_inactive": "the person's account is closed",
}


def faults(retry_after: int) -> list[Any]:
    """Every fault, as test parameters (the fault, and the lasting refusal or None), with a 429
    asking to wait `retry_after` seconds."""
    passing = [
        pytest.param(
            {**fault, "retry_after": retry_after} if fault.get("status") == 429 else fault,
            None,
            id=name,
        )
        for name, fault in PASSING.items()
    ]
    return passing + [pytest.param({"error": code}, code, id=code) for code in LASTING]


FAULTS = faults(retry_after=30)


@pytest.fixture
def client_timeout() -> float:
    """The app stops waiting for Slack after a second here, so that a timeout is quick."""
    return 1.0


def in_slack(standin: WebApiStandIn, key: str) -> list[dict[str, Any]]:
    """The messages Slack holds that the outbox sent under `key`."""
    return [message for message in standin.messages.values() if outbox_key(message) == key]


def only(services: Services, kind: MessageKind) -> OutboxMessage:
    [row] = rows(services, kind)
    return row


def settle(slack: Slack, clock: FrozenClock) -> None:
    """Slack is well again: time passes and the worker runs, twice."""
    for _ in range(2):
        clock.advance(RECOVERY)
        slack.worker()


def then_worker_runs(slack: Slack, clock: FrozenClock, fault: dict[str, Any]) -> None:
    """Let the worker send everything else that is due first, so that the fault meets the
    message under test: the clock stops a minute early, then moves on with the fault set."""
    slack.worker()
    slack.standin.fail("chat.postMessage", **fault)
    clock.advance(timedelta(minutes=1))
    slack.worker()


def assert_sent_once_or_failed(
    slack: Slack, services: Services, clock: FrozenClock, kind: MessageKind, lasting: str | None
) -> OutboxMessage:
    """After recovery: in Slack exactly once, and recorded where; or failed with its reason,
    never sent, and shown to the coordinator."""
    settle(slack, clock)
    row = only(services, kind)
    sent = in_slack(slack.standin, row.key)
    if lasting is None:
        assert row.state is Delivery.SENT, (row.state, row.last_error)
        assert len(sent) == 1, f"{row.key} reached Slack {len(sent)} times"
        assert row.sent_ref == sent[0]["ts"]
        return row
    assert (row.state, row.last_error) == (Delivery.FAILED, lasting)
    assert sent == []
    home = text_of_home(slack)
    assert "Could not be sent" in home and SEEN_AS[lasting] in home, home
    return row


def text_of_home(slack: Slack, user_id: str = COORDINATOR) -> str:
    return words({"view": slack.home(user_id)})


# Announcements (sent at once by the request, else by the worker) ------------------------------


@pytest.mark.parametrize(("fault", "lasting"), FAULTS)
def test_an_announcement(
    slack: Slack,
    directory: Services,
    standin: WebApiStandIn,
    clock: FrozenClock,
    fault: dict[str, Any],
    lasting: str | None,
) -> None:
    standin.fail("chat.postMessage", **fault)
    view = open_form(slack, COORDINATOR)
    submitted = slack.submit(COORDINATOR, view, event_values())
    answer = submitted.response.json()
    assert answer["response_action"] == "update", "the form is saved whatever Slack does"
    assert "Foresight morning" in str(answer["view"]["blocks"])
    with directory.db.snapshot() as store:
        assert len(store.session.scalars(select(Event)).all()) == 1
    row = assert_sent_once_or_failed(slack, directory, clock, MessageKind.ANNOUNCEMENT, lasting)
    if lasting is None:
        assert row.sent_conversation == LINKED
    else:
        [told] = direct_messages(submitted, COORDINATOR)
        assert "I could not post the announcement in <#C0ENNAKOINTI>" in told


# Reminders --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "lasting"), FAULTS)
def test_a_reminder(
    slack: Slack,
    directory: Services,
    clock: FrozenClock,
    fault: dict[str, Any],
    lasting: str | None,
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    clock.advance(timedelta(days=9) - timedelta(minutes=1))  # a minute before the day-before
    then_worker_runs(slack, clock, fault)
    row = assert_sent_once_or_failed(slack, directory, clock, MessageKind.REMINDER, lasting)
    assert row.recipient == MEMBER


# Digests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "lasting"), FAULTS)
def test_a_channel_digest(
    slack: Slack,
    directory: Services,
    clock: FrozenClock,
    fault: dict[str, Any],
    lasting: str | None,
) -> None:
    clock.advance(WEEK_1_DIGEST - timedelta(minutes=1) - clock.now())
    then_worker_runs(slack, clock, fault)
    row = assert_sent_once_or_failed(slack, directory, clock, MessageKind.CHANNEL_DIGEST, lasting)
    assert row.recipient == LINKED


# Poll closing: the poll's message changes to closed, and the results go to its thread ----------


@pytest.mark.parametrize(("fault", "lasting"), FAULTS)
def test_a_poll_closing(
    slack: Slack,
    directory: Services,
    standin: WebApiStandIn,
    clock: FrozenClock,
    fault: dict[str, Any],
    lasting: str | None,
) -> None:
    poll = ask(slack, QUESTION + " --closes 2d")
    vote(slack, MEMBER, poll, "Monday")
    clock.advance(timedelta(days=2) - timedelta(minutes=1))
    standin.fail("chat.update", **fault)
    then_worker_runs(slack, clock, fault)
    results = assert_sent_once_or_failed(slack, directory, clock, MessageKind.POLL_RESULTS, lasting)
    refresh = only(directory, MessageKind.POLL_REFRESH)
    shown = standin.messages[(LINKED, poll.response["ts"])]
    if lasting is None:
        assert refresh.state is Delivery.SENT
        assert "closed" in words(shown)
        [thread] = in_slack(standin, results.key)
        assert "1 vote (100 %)" in words(thread)
    else:
        assert (refresh.state, refresh.last_error) == (Delivery.FAILED, lasting)
        assert "closed" not in words(shown), "Slack refused the change"


# The Home ---------------------------------------------------------------------------------------

# Slack's shortest Retry-After: the Home is published by the request, which honours it.
HOME_FAULTS = faults(retry_after=1)


@pytest.mark.parametrize(("fault", "lasting"), HOME_FAULTS)
def test_the_home(
    slack: Slack,
    directory: Services,
    standin: WebApiStandIn,
    fault: dict[str, Any],
    lasting: str | None,
) -> None:
    standin.fail("views.publish", **fault)
    opened = slack._exchange(lambda: slack.driver.app_home_opened(MEMBER))
    assert opened.response.status == 200, "the event is acked whatever Slack does"
    published = [call for call in opened.to("views.publish") if call.ok]
    # A 429 and a dropped connection are retried by the client at once; 5xx too. A timeout
    # leaves the Home published (Slack did it) with nobody told; a refusal leaves none.
    assert len(published) <= 1
    if lasting is not None or fault.get("error") == "ratelimited":
        assert MEMBER not in standin.homes
    # Opened again, with Slack well: the Home as it is now, whatever happened before.
    assert "National foresight network" in text_of_home(slack, MEMBER)


def test_an_answer_from_the_home_reaches_the_person_when_the_home_cannot_be_published(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    ask(slack, QUESTION)
    clock.advance(timedelta(minutes=1))
    home = slack.home(MEMBER)
    monday = next(
        element
        for block in home["blocks"]
        for element in block.get("elements", [])
        if element.get("text", {}).get("text") == "Monday"
    )
    standin.fail("views.publish", error="account_inactive")
    pressed = slack.press(MEMBER, home, monday)
    assert pressed.response.status == 200
    [told] = direct_messages(pressed, MEMBER)
    assert "Your vote" in told
    assert [call.ok for call in pressed.to("views.publish")] == [False]
    with directory.db.snapshot() as store:
        assert len(store.session.scalars(select(Ballot)).all()) == 1


# The database -----------------------------------------------------------------------------------

UNAVAILABLE = "I could not reach my database just now, and nothing was saved"


@contextmanager
def database_fails(
    db: Database, table: str, how: str, times: int = 1, after: int = 0
) -> Iterator[list[str]]:
    """The next `times` writes to `table` (the first `after` of them let through) fail, as
    the database itself makes them fail.

    `conflict`: PostgreSQL's server raises a serialization failure in the transaction; SQLite's
    driver reports the database locked (what it says when its busy wait runs out). `lost`: the
    PostgreSQL server ends the connection just before the write. Yields the statements that
    failed.
    """
    failed: list[str] = []
    passed: list[str] = []
    writes = re.compile(rf"\s*(INSERT INTO|UPDATE|DELETE FROM) {table}\b")

    def before(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        if len(failed) >= times or not writes.match(statement):
            return
        if len(passed) < after:
            passed.append(statement)
            return
        failed.append(statement)
        if how == "lost":
            pid = cursor.connection.info.backend_pid
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        elif db.is_sqlite:
            raise sqlite3.OperationalError("database is locked")
        else:
            cursor.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield failed
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def ballots(services: Services) -> list[tuple[int, int]]:
    with services.db.snapshot() as store:
        return [(b.poll_id, len(b.choices)) for b in store.session.scalars(select(Ballot))]


def test_a_lock_or_conflict_is_tried_again_and_the_vote_counts_once(
    slack: Slack, directory: Services
) -> None:
    poll = ask(slack, QUESTION)
    with database_fails(directory.db, "ballots", "conflict") as failed:
        voted = vote(slack, MEMBER, poll, "Monday")
    assert len(failed) == 1, "the first attempt met the conflict"
    assert "Your vote in *Which date suits?*: *Monday*" in voted.text
    [(_, choices)] = ballots(directory)
    assert choices == 1, "one ballot, one choice"
    assert "1 vote (100 %)" in words(voted.to("chat.update")[0].params)


def test_a_vote_saved_before_the_database_refused_its_message_is_not_cast_again(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    poll = ask(slack, QUESTION)
    # The vote's transaction queues the poll's refresh (the first write to the outbox) and
    # commits; claiming the refresh to send it (the second) meets the conflict.
    with database_fails(directory.db, "outbox", "conflict", after=1) as failed:
        voted = vote(slack, MEMBER, poll, "Monday")
    assert len(failed) == 1
    assert "Your vote in *Which date suits?*: *Monday*" in voted.text, "not taken back"
    [(_, choices)] = ballots(directory)
    assert choices == 1
    assert voted.to("chat.update") == [], "the refresh waits for the worker"
    clock.advance(timedelta(seconds=5))
    [refreshed] = slack.worker().to("chat.update")
    assert "1 vote (100 %)" in words(refreshed.params)


def test_a_database_that_keeps_refusing_gets_a_clear_answer_and_nothing_is_written(
    slack: Slack, directory: Services
) -> None:
    poll = ask(slack, QUESTION)
    before = snapshot(directory)
    with database_fails(directory.db, "ballots", "conflict", times=10) as failed:
        voted = vote(slack, MEMBER, poll, "Monday")
    assert len(failed) == 3, "tried three times, then gave up"
    assert UNAVAILABLE in voted.text
    assert snapshot(directory) == before
    assert voted.to("chat.update") == [] and voted.posted() == []
    again = vote(slack, MEMBER, poll, "Monday")
    assert "Your vote in *Which date suits?*: *Monday*" in again.text


def test_a_form_saved_during_a_conflict_is_saved_once_or_not_at_all(
    slack: Slack, directory: Services
) -> None:
    view = open_form(slack, COORDINATOR)
    with database_fails(directory.db, "events", "conflict"):
        saved = slack.submit(COORDINATOR, view, event_values())
    assert saved.response.json()["response_action"] == "update"
    assert len(saved.posted()) == 1, "announced once"
    before = snapshot(directory)
    with database_fails(directory.db, "events", "conflict", times=10):
        refused = slack.submit(COORDINATOR, open_form(slack, COORDINATOR), event_values())
    answer = refused.response.json()
    assert answer["response_action"] == "update" and UNAVAILABLE in words(answer)
    assert snapshot(directory) == before and refused.posted() == []


def test_a_lost_connection_loses_nothing_and_the_next_request_works(
    slack: Slack, directory: Services
) -> None:
    if directory.db.is_sqlite:
        pytest.skip("SQLite is embedded: there is no connection to lose")
    poll = ask(slack, QUESTION)
    before = snapshot(directory)
    with database_fails(directory.db, "ballots", "lost") as failed:
        voted = vote(slack, MEMBER, poll, "Monday")
    assert len(failed) == 1
    assert UNAVAILABLE in voted.text, "not tried again: the commit's answer may be what was lost"
    assert snapshot(directory) == before
    again = vote(slack, MEMBER, poll, "Monday")
    assert "Your vote in *Which date suits?*: *Monday*" in again.text
    assert len(ballots(directory)) == 1


@pytest.mark.parametrize("how", ["conflict", "lost"])
def test_a_worker_that_cannot_record_a_sent_reminder_does_not_send_it_twice(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock, how: str
) -> None:
    if how == "lost" and directory.db.is_sqlite:
        pytest.skip("SQLite is embedded: there is no connection to lose")
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    clock.advance(timedelta(days=9) - timedelta(minutes=1))
    slack.worker()
    clock.advance(timedelta(minutes=1))
    directory.reminders.fire_due()
    # The claim (the first write) goes through; Slack takes the reminder; writing down that it
    # went fails.
    with (
        database_fails(directory.db, "outbox", how, after=1) as failed,
        pytest.raises(Unavailable),
    ):
        directory.outbox.drain(slack.deliver)
    assert len(failed) == 1
    row = only(directory, MessageKind.REMINDER)
    assert row.state is Delivery.SENDING and len(in_slack(standin, row.key)) == 1
    settle(slack, clock)
    row = only(directory, MessageKind.REMINDER)
    assert row.state is Delivery.SENT and len(in_slack(standin, row.key)) == 1
