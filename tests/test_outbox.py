"""The outbox: Slack's passing failures are retried later, lasting ones are recorded, and a
sender that stops half-way loses nothing and sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import Delivery, MessageKind
from bot.services import Services
from bot.services.outbox import LEASE
from handlers.slack.standin.server import WebApiStandIn
from storage.models import OutboxMessage
from tests.support import COORDINATOR, FORESIGHT, LINKED, MEMBER, Slack, as_actor
from tests.test_events import announce, click, direct_messages, event_id, event_values, open_form


def rows(services: Services, kind: MessageKind | None = None) -> list[OutboxMessage]:
    with services.db.snapshot() as store:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(store.session.scalars(query))


def submit_event(slack: Slack) -> None:
    view = open_form(slack, COORDINATOR)
    answer = slack.submit(COORDINATOR, view, event_values())
    assert answer.response.json()["response_action"] == "update", "saved whatever Slack does"


def test_a_rate_limited_announcement_waits_as_long_as_slack_asks(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=30)
    submit_event(slack)
    [row] = rows(directory, MessageKind.ANNOUNCEMENT)
    assert row.state is Delivery.PENDING
    assert row.last_error == "ratelimited"
    assert row.due_at == clock.now() + timedelta(seconds=30)

    assert slack.worker().posted() == [], "not before Retry-After"
    clock.advance(timedelta(seconds=30))
    [posted] = slack.worker().posted()
    assert posted.ok and posted.params["channel"] == LINKED
    [row] = rows(directory, MessageKind.ANNOUNCEMENT)
    assert (row.state, row.sent_ref, row.attempts) == (Delivery.SENT, posted.response["ts"], 2)
    assert len([c for c in standin.calls_to("chat.postMessage") if c.ok]) == 1


def test_a_server_error_is_retried_with_backoff(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    standin.fail("chat.postMessage", status=503, times=2)
    submit_event(slack)
    clock.advance(timedelta(seconds=5))
    assert slack.worker().posted()[0].status == 503
    [row] = rows(directory, MessageKind.ANNOUNCEMENT)
    assert row.due_at == clock.now() + timedelta(seconds=10), "the wait doubles"
    clock.advance(timedelta(seconds=10))
    assert slack.worker().posted()[0].ok


def test_a_channel_the_bot_is_not_in_is_recorded_as_failed_and_not_retried(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    admin = as_actor(directory, standin, "U0OLLI")
    editable = directory.networks.editable(admin, FORESIGHT)
    values = {**editable.form.model_dump(), "channel_id": "C0PRIVATE"}
    directory.networks.update(admin, editable.network_id, values)
    view = open_form(slack, COORDINATOR)
    submitted = slack.submit(COORDINATOR, view, event_values())
    [told] = direct_messages(submitted, COORDINATOR)
    assert "I could not post the announcement in <#C0PRIVATE>: I am not in that channel" in told
    [row] = rows(directory, MessageKind.ANNOUNCEMENT)
    assert (row.state, row.last_error) == (Delivery.FAILED, "not_in_channel")
    for _ in range(3):
        clock.advance(timedelta(hours=1))
        assert slack.worker().posted() == []


def test_a_sender_stopped_before_sending_leaves_the_message_to_the_next_one(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    clock.advance(timedelta(days=9))  # the day-before reminder is due
    directory.reminders.fire_due()
    # A worker claims the reminder and is killed before it sends anything.
    [claimed] = directory.outbox.claim(limit=10)
    assert claimed.kind is MessageKind.REMINDER
    assert slack.worker().posted() == [], "the lease keeps others off it"
    clock.advance(LEASE)
    sent = slack.worker()
    assert [c.method for c in sent.calls] == [
        "conversations.open",
        "conversations.history",
        "chat.postMessage",
    ]
    assert len(direct_messages(sent, MEMBER)) == 1
    assert rows(directory, MessageKind.REMINDER)[0].state is Delivery.SENT


def test_a_sender_stopped_after_slack_took_the_message_does_not_send_it_twice(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    clock.advance(timedelta(days=9))
    directory.reminders.fire_due()
    # A worker claims the reminder, Slack takes it, and the worker dies before recording that.
    [claimed] = directory.outbox.claim(limit=10)
    slack.deliver(claimed)
    assert len(standin.calls_to("chat.postMessage")) == 2  # the announcement and the reminder
    clock.advance(LEASE)
    again = slack.worker()
    assert again.posted() == [], "found in the conversation; not sent again"
    [row] = rows(directory, MessageKind.REMINDER)
    assert row.state is Delivery.SENT and row.sent_ref is not None


def test_without_the_history_scopes_an_interrupted_message_is_sent_rather_than_lost(
    slack: Slack, directory: Services, standin: WebApiStandIn, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    clock.advance(timedelta(days=9))
    directory.reminders.fire_due()
    directory.outbox.claim(limit=10)  # a worker took it and was killed
    clock.advance(LEASE)
    standin.fail("conversations.history", error="missing_scope")
    sent = slack.worker()
    assert len(direct_messages(sent, MEMBER)) == 1
    assert rows(directory, MessageKind.REMINDER)[0].state is Delivery.SENT
