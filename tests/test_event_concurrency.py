"""Events under many hands at once: a burst of clicks on a small event, and two workers over
the same due reminders. The counts must be exact on every backend."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain import Attendance, Delivery, EventStatus, MessageKind, Repeat
from bot.services import Services
from bot.settings import Settings
from handlers.slack.standin.model import BOT_TOKEN
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Event, EventReminder, OutboxMessage, Person, Rsvp
from tests.processes import VERKOSTO, environment
from tests.support import FORESIGHT, LINKED, MEMBER, Slack, network, text_of
from tests.test_events import announce, capacity, click, event_id

PEOPLE = 200
SEATS = 50


def test_two_hundred_going_clicks_on_fifty_seats_fill_them_exactly_in_order(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    people = [f"U0P{number:04d}" for number in range(PEOPLE)]
    for number, user_id in enumerate(people):
        standin.add_user(user_id, f"p{number}", f"Person {number}")
    _, posted = announce(slack, **capacity(SEATS))
    event = event_id(posted)

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(
            pool.map(lambda user: click(slack, user, "going", event).response.status, people)
        )
    assert statuses == [200] * PEOPLE

    # Each person's own answer (the calls of concurrent clicks interleave, so read them by person).
    answered = {c.user_id: text_of(c) for c in standin.calls_to("response_url") if c.ok}
    assert set(answered) == set(people)
    replies = list(answered.values())
    going_replies = [text for text in replies if "You are going" in text]
    places = sorted(
        int(match.group(1)) for text in replies if (match := re.search(r"number (\d+)", text))
    )
    assert len(going_replies) == SEATS
    assert places == list(range(1, PEOPLE - SEATS + 1)), "each waiting place given once"

    with directory.db.snapshot() as store:
        answers = store.session.execute(
            select(Rsvp.attendance, Rsvp.queue_order)
            .where(Rsvp.event_id == event)
            .order_by(Rsvp.queue_order)
        ).all()
    assert [attendance for attendance, _ in answers] == (
        [Attendance.GOING] * SEATS + [Attendance.WAITLISTED] * (PEOPLE - SEATS)
    ), "the first fifty to be taken are going, the rest wait in the order they came"
    assert [order for _, order in answers] == list(range(1, PEOPLE + 1))

    # The announcement ends showing the final counts.
    last = [c for c in standin.calls_to("chat.update") if c.ok][-1]
    shown = str(last.params)
    assert f"{SEATS}/{SEATS} going" in shown and f"{PEOPLE - SEATS} on the waitlist" in shown


def due_reminders(services: Services, count: int) -> None:
    """`count` events starting in an hour (real time), each with Mikko going and its hour-before
    reminder due a minute ago: what a worker finds after a pause."""
    now = datetime.now(UTC)
    foresight = network(services, FORESIGHT)
    assert foresight is not None
    with services.db.transaction() as store:
        mikko = store.session.scalar(select(Person).where(Person.user_id == MEMBER))
        assert mikko is not None
        for number in range(count):
            event = Event(
                workspace_id=foresight.workspace_id,
                network_id=foresight.id,
                title=f"Event {number}",
                timezone="Europe/Helsinki",
                starts_at=now + timedelta(hours=1),
                ends_at=now + timedelta(hours=2),
                reminder_minutes=[60],
                repeat=Repeat.NONE,
                status=EventStatus.SCHEDULED,
                channel_id=LINKED,
                language="en",
                announce_at=now,
                created_at=now,
                updated_at=now,
            )
            store.session.add(event)
            store.session.flush()
            store.session.add(
                Rsvp(
                    workspace_id=event.workspace_id,
                    event_id=event.id,
                    person_id=mikko.id,
                    attendance=Attendance.GOING,
                    queue_order=1,
                    answered_at=now,
                )
            )
            store.reminders.add(event.id, 60, now - timedelta(minutes=1))


@pytest.mark.parametrize("queued_before", [False, True], ids=["reminders due", "messages queued"])
def test_two_workers_at_once_send_each_due_reminder_exactly_once(
    directory: Services,
    standin: WebApiStandIn,
    database_url: str,
    tmp_path: Path,
    queued_before: bool,
) -> None:
    """Both find the due reminders; or, with the messages already queued (a worker fired them
    and stopped), both drain the same outbox at once, each claiming its own rows."""
    count = 500
    due_reminders(directory, count)
    if queued_before:
        assert Services.build(Settings(_env_file=None), directory.db).reminders.fire_due() == count
    settings = environment(
        DATABASE_URL=database_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=standin.api_url
    )
    workers = [
        subprocess.Popen(
            [*VERKOSTO, "worker", "--once"],
            cwd=tmp_path,
            env=settings,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    logs = [worker.communicate(timeout=300)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], logs

    sent = [c for c in standin.calls_to("chat.postMessage") if c.ok]
    titles = sorted(re.search(r"\*(Event \d+)\*", c.params["text"]).group(1) for c in sent)  # type: ignore[union-attr]
    assert titles == sorted(f"Event {number}" for number in range(count))
    assert {c.params["channel"] for c in sent} == {MEMBER}
    with directory.db.snapshot() as store:
        states = dict(
            store.session.execute(
                select(OutboxMessage.state, func.count())
                .where(OutboxMessage.kind == MessageKind.REMINDER)
                .group_by(OutboxMessage.state)
            ).all()
        )
        fired = store.session.scalar(select(func.count()).where(EventReminder.state == "fired"))
    assert states == {Delivery.SENT: count}
    assert fired == count
    both_worked = [re.search(r"messages sent: (\d+)", log) for log in logs]
    assert sum(int(m.group(1)) for m in both_worked if m) == count
