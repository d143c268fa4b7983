"""How long the worker takes to decide every channel digest of one period, and how many SQL
statements one digest costs, compared in one run with a naive composition.

    python benchmarks/digests.py [--database-url postgresql://...] [--wipe]

It empties the database it is given: a database that holds anything is refused unless `--wipe`
says that is intended (say, the tests' database).

It builds 2,000 networks, each with a channel, 100,000 memberships of 20,000 people (network
sizes from a few to a few hundred, so that membership varies), 20,000 events with 60,000 answers,
5,000 polls with 25,000 ballots, and 4,000 weak signals, spread over the four weeks around the
period.

1. The time for `DigestService.queue_channel_digests` to compose and decide all 2,000 digests of
   one weekly period (queueing those with news). The bar (issue 6): under 5 s.
2. The SQL statements one digest costs (counted with SQLAlchemy's `before_cursor_execute` event),
   for the smallest and the largest network among those whose digest has polls (a digest with
   polls reads their tally, one statement more: so both have the same shape). The bar: 10 or
   fewer, and no more for the largest.
3. One digest composed as the courier does when it sends it (the time for 200 networks), and
   the same composed naively (every membership, answer and ballot loaded and counted in Python,
   one query per event and per poll), for comparison.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from databases import fresh_database  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from bot.clock import FrozenClock  # noqa: E402
from bot.domain import (  # noqa: E402
    Attendance,
    Category,
    DigestSchedule,
    EventStatus,
    MembershipStatus,
    PollKind,
    PollStatus,
    Repeat,
)
from bot.periods import latest_period  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Ballot,
    BallotChoice,
    Event,
    Membership,
    Network,
    Person,
    Poll,
    PollOption,
    Rsvp,
    Signal,
    Workspace,
)

# The period ends on Monday 14 December 2026 at 9:00 in Helsinki; the data spans two weeks
# before it and two after.
DUE = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
NOW = DUE + timedelta(minutes=1)
SPAN = timedelta(weeks=2)
NETWORKS = 2_000
PEOPLE = 20_000
MEMBERSHIPS = 100_000
EVENTS = 20_000
ANSWERS_PER_EVENT = 3
POLLS = 5_000
BALLOTS_PER_POLL = 5
SIGNALS = 4_000
BAR_SECONDS = 5.0
BAR_STATEMENTS = 10


def spread(chance: random.Random) -> datetime:
    """A moment in the four weeks around the period's end."""
    return DUE - SPAN + timedelta(seconds=chance.uniform(0, 2 * SPAN.total_seconds()))


def build(db: Database) -> int:
    """Bulk-inserted, since building the data is not what is measured; the workspace id."""
    chance = random.Random(2026)
    with db.engine.begin() as connection:
        workspace = connection.execute(
            insert(Workspace)
            .values(team_id="TBENCH", name="bench", created_at=DUE - SPAN * 4)
            .returning(Workspace.id)
        ).scalar_one()
        connection.execute(
            insert(Person),
            [
                {
                    "workspace_id": workspace,
                    "user_id": f"UB{n:05d}",
                    "display_name": f"Person {n}",
                    "created_at": DUE - SPAN * 4,
                    "updated_at": DUE - SPAN * 4,
                    # One in four used the bot during the period: no personal digest for them.
                    "last_seen_at": DUE - timedelta(days=2) if n % 4 == 0 else None,
                }
                for n in range(PEOPLE)
            ],
        )
        people = list(connection.scalars(select(Person.id).order_by(Person.id)))
        connection.execute(
            insert(Network),
            [
                {
                    "workspace_id": workspace,
                    "slug": f"network-{n}",
                    "name_fi": f"Verkosto {n}",
                    "description_fi": chance.choice(
                        ["Ennakointi ja tulevaisuus", "Digitaaliset palvelut", "Henkilöstö"]
                    ),
                    "category": chance.choice(list(Category)),
                    "scope": ["state"],
                    "tags": [],
                    "channel_id": f"CB{n:06d}",
                    "calendar_token": f"bench-calendar-{n:08d}",
                    "created_at": DUE - SPAN * 4,
                    "updated_at": DUE - SPAN * 4,
                }
                for n in range(NETWORKS)
            ],
        )
        networks = list(connection.scalars(select(Network.id).order_by(Network.id)))
        # Sizes from a handful to several hundred: a few large networks, many small ones.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(NETWORKS)]
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < MEMBERSHIPS:
            network = chance.choices(networks, weights)[0]
            pairs.add((network, chance.choice(people)))
        connection.execute(
            insert(Membership),
            [
                {
                    "workspace_id": workspace,
                    "network_id": network,
                    "person_id": person,
                    "status": MembershipStatus.ACTIVE,
                    "joined_at": spread(chance) - SPAN,
                }
                for network, person in pairs
            ],
        )
        rows = []
        for n in range(EVENTS):
            starts = spread(chance)
            rows.append(
                {
                    "workspace_id": workspace,
                    "network_id": chance.choice(networks),
                    "occurrence": 1,
                    "title": f"Event {n}",
                    "timezone": "Europe/Helsinki",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "reminder_minutes": [],
                    "repeat": Repeat.NONE,
                    "status": EventStatus.SCHEDULED,
                    "channel_id": "CBENCH",
                    "language": "fi",
                    "announce_at": starts - SPAN,
                    "revision": 1,
                    "created_at": starts - SPAN,
                    "updated_at": starts - SPAN,
                }
            )
        connection.execute(insert(Event), rows)
        events = list(connection.scalars(select(Event.id)))
        connection.execute(
            insert(Rsvp),
            [
                {
                    "workspace_id": workspace,
                    "event_id": event_id,
                    "person_id": people[(event_id * 13 + k) % PEOPLE],
                    "attendance": chance.choice([Attendance.GOING, Attendance.MAYBE]),
                    "queue_order": k + 1,
                    "answered_at": DUE - SPAN * 2,
                }
                for event_id in events
                for k in range(ANSWERS_PER_EVENT)
            ],
        )
        poll_rows = []
        for n in range(POLLS):
            created = spread(chance) - SPAN
            closed = created + timedelta(days=chance.randint(1, 21))
            is_closed = closed < NOW
            poll_rows.append(
                {
                    "workspace_id": workspace,
                    "network_id": chance.choice(networks),
                    "question": f"Question {n}?",
                    "kind": PollKind.CHOICE,
                    "max_choices": 1,
                    "anonymous": n % 4 == 0,
                    "results_live": True,
                    "members_add_options": False,
                    "status": PollStatus.CLOSED if is_closed else PollStatus.OPEN,
                    "closes_at": closed,
                    "closed_at": closed if is_closed else None,
                    "channel_id": "CBENCH",
                    "language": "fi",
                    "created_at": created,
                }
            )
        connection.execute(insert(Poll), poll_rows)
        polls = list(connection.scalars(select(Poll.id)))
        connection.execute(
            insert(PollOption),
            [
                {"poll_id": poll, "position": k, "label": label}
                for poll in polls
                for k, label in enumerate(("Yes", "No", "Later"))
            ],
        )
        options = {
            poll: [option for _, option in group]
            for poll, group in _grouped(
                connection.execute(select(PollOption.poll_id, PollOption.id)).all()
            )
        }
        connection.execute(
            insert(Ballot),
            [
                {"poll_id": poll, "voter": f"v{poll}-{k}", "person_id": None, "voted_at": None}
                for poll in polls
                for k in range(BALLOTS_PER_POLL)
            ],
        )
        connection.execute(
            insert(BallotChoice),
            [
                {"ballot_id": ballot, "option_id": chance.choice(options[poll])}
                for ballot, poll in connection.execute(select(Ballot.id, Ballot.poll_id)).all()
            ],
        )
        connection.execute(
            insert(Signal),
            [
                {
                    "workspace_id": workspace,
                    "network_id": chance.choice(networks),
                    "author_id": chance.choice(people),
                    "text": f"Signal {n}",
                    "language": "fi",
                    "created_at": spread(chance) - SPAN,
                }
                for n in range(SIGNALS)
            ],
        )
    # Bulk loading leaves the planner's statistics behind; autovacuum would catch up in time.
    with db.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return workspace


def _grouped(rows: list[Any]) -> Iterator[tuple[int, list[Any]]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return iter(found.items())


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def naive_digest(
    db: Database, services: Services, network_id: int, start: datetime, end: datetime
) -> int:
    """The same digest composed the obvious way: every row loaded and counted in Python, one
    query per event and per poll; the similar networks as ours."""
    with db.snapshot() as store:
        session = store.session
        network = session.get(Network, network_id)
        assert network is not None
        joined = [
            m
            for m in network.memberships
            if m.status is MembershipStatus.ACTIVE and m.joined_at and start <= m.joined_at < end
        ]
        names = [session.get(Person, m.person_id) for m in joined[:5]]
        events = session.scalars(select(Event).where(Event.network_id == network_id)).all()
        coming = [e for e in events if end <= e.starts_at < end + SPAN and e.created_at < end]
        answers = [session.scalars(select(Rsvp).where(Rsvp.event_id == e.id)).all() for e in coming]
        polls = session.scalars(select(Poll).where(Poll.network_id == network_id)).all()
        tallies = [
            session.scalars(select(Ballot).where(Ballot.poll_id == p.id)).all() for p in polls
        ]
        chosen = [[len(ballot.choices) for ballot in ballots] for ballots in tallies]
        signals = session.scalars(
            select(Signal).where(
                Signal.network_id == network_id,
                Signal.created_at >= start,
                Signal.created_at < end,
            )
        ).all()
        similar = services.recommendations.like_network(store, network.workspace_id, network_id, 2)
        return len(names) + len(answers) + len(chosen) + len(signals) + len(similar)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a database to fill (default: temporary SQLite)")
    parser.add_argument("--wipe", action="store_true", help="empty --database-url first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{scratch}/digests.db"
        db = fresh_database(url, args.wipe)
        built, workspace = timed(lambda: build(db))
        print(
            f"{db.url.get_backend_name()}: {NETWORKS:,} networks, {MEMBERSHIPS:,} memberships, "
            f"{EVENTS:,} events, {POLLS:,} polls, {SIGNALS:,} signals (built in {built:.0f} s)"
        )
        settings = Settings(
            slack_bot_token="xoxb-bench",
            slack_signing_secret="bench",
            database_url=url,
            _env_file=None,
        )
        services = Services.build(settings, db, FrozenClock(NOW))
        period = latest_period(DigestSchedule.WEEKLY, NOW, settings.verkosto_timezone)
        run(db, services, workspace, period)
        db.dispose()


def memberships_per(db: Database, column: Any) -> dict[int, int]:
    """How many memberships each network (or person) has."""
    with db.snapshot() as store:
        return dict(store.session.execute(select(column, func.count()).group_by(column)).all())


def with_polls(db: Database, network_ids: Collection[int], period: Any) -> set[int]:
    """The networks whose digest of the period has polls, and so one statement more (their
    tally): digests of the same shape, whose statements can differ only by membership."""
    with db.snapshot() as store:
        found = store.polls.open_or_closed_between(list(network_ids), period.start, period.end)
        return {poll.network_id for poll in found}


def run(db: Database, services: Services, workspace: int, period: Any) -> None:
    sizes = memberships_per(db, Membership.network_id)
    alike = with_polls(db, sizes, period)
    smallest = min(alike, key=sizes.__getitem__)
    largest = max(alike, key=sizes.__getitem__)
    # The recommender's model is built once per process; build it before the clock starts.
    services.digests.channel_digest(workspace, smallest, period)

    elapsed, queued = timed(services.digests.queue_channel_digests)
    print(
        f"\ndeciding every channel digest of the week to {period.end:%Y-%m-%d %H:%M} UTC: "
        f"{elapsed:.2f} s ({queued:,} with news queued)"
    )
    print(f"  {'PASS' if elapsed < BAR_SECONDS else 'FAIL'}  under {BAR_SECONDS:.0f} s")

    counts = {}
    for label, network_id in (("smallest", smallest), ("largest", largest)):
        with counted(db) as statements:
            services.digests.channel_digest(workspace, network_id, period)
        counts[label] = len(statements)
        with counted(db) as naive_statements:
            naive_digest(db, services, network_id, period.start, period.end)
        print(
            f"SQL statements for the {label} network ({sizes[network_id]} members): "
            f"{len(statements)} (naive: {len(naive_statements)})"
        )
    worst = max(counts.values())
    grows = counts["largest"] > counts["smallest"]
    print(
        f"  {'PASS' if worst <= BAR_STATEMENTS and not grows else 'FAIL'}  "
        f"{BAR_STATEMENTS} or fewer, and not growing with membership"
    )

    sample = random.Random(3).sample(sorted(sizes), 200)
    ours = []
    theirs = []
    digest = services.digests.channel_digest
    for network_id in sample:
        ours.append(timed(lambda n=network_id: digest(workspace, n, period))[0])
        theirs.append(
            timed(lambda n=network_id: naive_digest(db, services, n, period.start, period.end))[0]
        )
    print(
        f"one digest, median of 200 networks: {statistics.median(ours) * 1000:.1f} ms "
        f"(naive: {statistics.median(theirs) * 1000:.1f} ms)"
    )
    personal(db, services, workspace, period)


def personal(db: Database, services: Services, workspace: int, period: Any) -> None:
    """One person's digest as the worker decides it and the courier sends it."""
    spread = memberships_per(db, Membership.person_id)
    fewest = min(spread, key=spread.__getitem__)
    most = max(spread, key=spread.__getitem__)
    for label, person_id in (("fewest", fewest), ("most", most)):
        with counted(db) as statements:
            services.digests.personal_digest(workspace, person_id, period)
        print(
            f"SQL statements for the person in the {label} networks ({spread[person_id]}): "
            f"{len(statements)}"
        )
    sample = random.Random(5).sample(sorted(spread), 200)
    digest = services.digests.personal_digest
    times = [timed(lambda p=person_id: digest(workspace, p, period))[0] for person_id in sample]
    print(
        f"one personal digest composed alone (as the courier does), median of 200 people: "
        f"{statistics.median(times) * 1000:.1f} ms"
    )
    with db.snapshot() as store:
        away = store.session.scalar(
            select(func.count()).select_from(Person).where(Person.last_seen_at.is_(None))
        )
    elapsed, queued = timed(services.digests.queue_personal_digests)
    print(
        f"deciding every personal digest of the week ({away:,} people away): {elapsed:.1f} s, "
        f"{elapsed / away * 1000:.1f} ms a person ({queued:,} queued)"
    )


if __name__ == "__main__":
    main()
