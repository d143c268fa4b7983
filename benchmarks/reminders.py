"""How fast the worker finds due reminders among many events, and how fast the outbox drains,
each compared in one run with a yardstick.

    python benchmarks/reminders.py [--database-url postgresql://...] [--events 10000] [--wipe]

It empties the database it is given: a database that holds anything is refused unless `--wipe`
says that is intended (say, the tests' database).

It builds a workspace with `--events` events (10,000) and ten answers each (100,000 RSVPs),
every event with reminders a day and an hour before its start, spread over 30 days.

1. Finding due reminders. With the clock moved so that a tenth of the reminders are due, and
   then so that all are, it times the worker's query (pending reminders due by now, in one
   indexed query, as each worker claims them) against a naive scan that loads every scheduled
   event with its answers and works out in Python which reminders are due. The bar (issue 3):
   under 1 s to find every due reminder.
2. Firing them: the time for `ReminderService.fire_due`, which also queues one message per person
   going, in the same transactions.
3. Draining: 1,000 reminder messages sent by the Slack courier to the Web API stand-in, compared
   with the bound from Slack's guideline of one message per second per channel for the same
   mix of channels (here 1,000 direct messages to 100 people, ten each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from databases import fresh_database  # noqa: E402
from sqlalchemy import delete, insert, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from bot.clock import FrozenClock  # noqa: E402
from bot.domain import (  # noqa: E402
    Attendance,
    Category,
    EventStatus,
    MessageKind,
    ReminderState,
    Repeat,
)
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.slack.client import web_client  # noqa: E402
from handlers.slack.courier import slack_courier  # noqa: E402
from handlers.slack.standin.model import BOT_TOKEN  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Event,
    EventReminder,
    Network,
    OutboxMessage,
    Person,
    Rsvp,
    Workspace,
)

START = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
ANSWERS_PER_EVENT = 10
PEOPLE = 1000
REMINDERS = (24 * 60, 60)
DRAINED = 1000
DRAIN_PEOPLE = 100


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def build(db: Database, events: int) -> tuple[int, list[str]]:
    """The workspace, its people and `events` events with answers and reminders; bulk-inserted,
    since building the data is not what is measured."""
    with db.engine.begin() as connection:
        workspace = connection.execute(
            insert(Workspace)
            .values(team_id="TBENCH", name="bench", created_at=START)
            .returning(Workspace.id)
        ).scalar_one()
        network = connection.execute(
            insert(Network)
            .values(
                workspace_id=workspace,
                slug="bench",
                name_en="Bench",
                category=Category.FORESIGHT,
                scope=[],
                tags=[],
                calendar_token="bench-calendar-token-000000",
                created_at=START,
                updated_at=START,
            )
            .returning(Network.id)
        ).scalar_one()
        user_ids = [f"UB{n:05d}" for n in range(PEOPLE)]
        connection.execute(
            insert(Person),
            [
                {
                    "workspace_id": workspace,
                    "user_id": uid,
                    "display_name": f"Person {uid}",
                    "created_at": START,
                    "updated_at": START,
                }
                for uid in user_ids
            ],
        )
        person_ids = list(connection.scalars(select(Person.id).order_by(Person.id)))
        rows = []
        for number in range(events):
            starts = START + timedelta(days=1, minutes=(number * 30 * 24 * 60) // events)
            rows.append(
                {
                    "workspace_id": workspace,
                    "network_id": network,
                    "occurrence": 1,
                    "title": f"Event {number}",
                    "timezone": "Europe/Helsinki",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=1),
                    "reminder_minutes": list(REMINDERS),
                    "repeat": Repeat.NONE,
                    "status": EventStatus.SCHEDULED,
                    "channel_id": "CBENCH",
                    "language": "en",
                    "announce_at": START,
                    "revision": 1,
                    "created_at": START,
                    "updated_at": START,
                }
            )
        connection.execute(insert(Event), rows)
        event_rows = connection.execute(select(Event.id, Event.starts_at)).all()
        connection.execute(
            insert(Rsvp),
            [
                {
                    "workspace_id": workspace,
                    "event_id": event_id,
                    "person_id": person_ids[(event_id * 7 + k) % PEOPLE],
                    "attendance": Attendance.GOING,
                    "queue_order": k + 1,
                    "answered_at": START,
                }
                for event_id, _ in event_rows
                for k in range(ANSWERS_PER_EVENT)
            ],
        )
        connection.execute(
            insert(EventReminder),
            [
                {
                    "event_id": event_id,
                    "minutes_before": minutes,
                    "due_at": starts - timedelta(minutes=minutes),
                    "state": ReminderState.PENDING,
                }
                for event_id, starts in event_rows
                for minutes in REMINDERS
            ],
        )
    return workspace, user_ids


def found_by_query(db: Database, now: datetime) -> int:
    """The worker's way: one indexed query for pending reminders due by now."""
    with db.transaction() as store:
        due = store.reminders.claim_due(now, limit=10**7)
        count = len(due)
        store.session.rollback()
        return count


def found_naively(db: Database, now: datetime) -> int:
    """The naive way: every scheduled event with its answers and reminders, checked in Python."""
    with db.snapshot() as store:
        events = store.session.scalars(
            select(Event)
            .options(selectinload(Event.network))
            .where(Event.status == EventStatus.SCHEDULED)
        ).all()
        fired = {
            (r.event_id, r.minutes_before)
            for r in store.session.scalars(
                select(EventReminder).where(EventReminder.state != ReminderState.PENDING)
            )
        }
        going = {
            event_id
            for (event_id,) in store.session.execute(
                select(Rsvp.event_id).where(Rsvp.attendance == Attendance.GOING)
            )
        }
        return sum(
            1
            for event in events
            for minutes in event.reminder_minutes
            if event.starts_at - timedelta(minutes=minutes) <= now
            and (event.id, minutes) not in fired
            and event.id in going
        )


def drain(db: Database, workspace: int, user_ids: list[str], database_url: str) -> None:
    with WebApiStandIn() as standin:
        for uid in user_ids[:DRAIN_PEOPLE]:
            standin.add_user(uid, uid.lower(), f"Person {uid}")
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_api_url=standin.api_url,
            database_url=database_url,
            _env_file=None,
        )
        clock = FrozenClock(START)
        services = Services.build(settings, db, clock)
        with db.transaction() as store:
            store.session.execute(delete(OutboxMessage))
            first_event = store.session.scalar(select(Event.id).order_by(Event.id))
            for number in range(DRAINED):
                store.outbox.put(
                    workspace_id=workspace,
                    network_id=None,
                    key=f"bench:{number}",
                    kind=MessageKind.REMINDER,
                    recipient=user_ids[number % DRAIN_PEOPLE],
                    due_at=START,
                    now=START,
                    payload={"event_id": first_event, "minutes_before": 60},
                )
        courier = slack_courier(settings, services, web_client(settings, retries=False))
        seconds, report = timed(lambda: services.outbox.drain(courier.deliver))
        per_channel = DRAINED // DRAIN_PEOPLE
        print(f"\ndraining {DRAINED} direct messages to {DRAIN_PEOPLE} people through the stand-in")
        print(
            f"  sent {report.sent}, failed {len(report.failed)}, in {seconds:.2f} s "
            f"({report.sent / seconds:.0f} messages/s)"
        )
        print(
            f"  Slack's 1 message/s per channel allows this mix in no less than "
            f"{per_channel - 1} s ({per_channel} messages in each channel); into one channel, "
            f"{DRAINED - 1} s"
        )
        verdict = "the outbox is not the limit" if seconds < per_channel - 1 else "SLOWER"
        print(f"  drain time / guideline bound: {seconds / (per_channel - 1):.3f}  ({verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--wipe", action="store_true", help="empty a database that holds data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="verkosto-bench-") as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        db = fresh_database(url, args.wipe or not args.database_url)
        seconds, (workspace, user_ids) = timed(lambda: build(db, args.events))
        print(
            f"{db.url.get_backend_name()}: {args.events} events, "
            f"{args.events * ANSWERS_PER_EVENT} answers, {args.events * len(REMINDERS)} "
            f"reminders, built in {seconds:.1f} s"
        )
        print(f"\n{'due':>8} {'query s':>9} {'naive s':>9} {'ratio':>7}  found  bar (< 1 s)")
        for share in (0.1, 1.0):
            now = START + timedelta(days=1) + share * timedelta(days=30)
            query_s, found = timed(lambda: found_by_query(db, now))  # noqa: B023
            naive_s, naive_found = timed(lambda: found_naively(db, now))  # noqa: B023
            assert found == naive_found, (found, naive_found)
            verdict = "pass" if query_s < 1 else "FAIL"
            print(
                f"{share:>8.0%} {query_s:>9.3f} {naive_s:>9.3f} {naive_s / query_s:>7.1f}  "
                f"{found:>5}  {verdict}"
            )
        firing_at = START + timedelta(days=1) + 0.1 * timedelta(days=30)
        services = Services.build(Settings(_env_file=None), db, FrozenClock(firing_at))
        fire_s, queued = timed(services.reminders.fire_due)
        print(
            f"\nfiring the reminders due at 10%: {queued} messages queued in {fire_s:.2f} s "
            "(those of events already started are dropped)"
        )
        drain(db, workspace, user_ids, url)
        db.dispose()


if __name__ == "__main__":
    main()
