"""Queries, grouped by what they are about. Services reach the database only through these."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    Table,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.domain import (
    CURRENT_STATUSES,
    Attendance,
    AuditAction,
    Delivery,
    DigestFrequency,
    DigestSchedule,
    DigestSubject,
    EventStatus,
    MembershipStatus,
    MessageKind,
    PollStatus,
    ReminderState,
    Role,
)
from storage.models import (
    AuditEntry,
    Ballot,
    BallotChoice,
    Digest,
    Event,
    EventReminder,
    Membership,
    Network,
    OutboxMessage,
    Person,
    Poll,
    PollOption,
    ProcessedEvent,
    Rsvp,
    Signal,
    SignalSecond,
    Workspace,
)


def _insert(session: Session) -> Callable[[Table], Any]:
    """The backend's INSERT, which knows ON CONFLICT."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; True when it was inserted.

    Atomic on both backends, so two requests racing to create the same row cannot both win.
    """
    statement = _insert(session)(table).values(**values).on_conflict_do_nothing()
    # RETURNING tells reliably whether a row went in; rowcount does not on every driver.
    return session.execute(statement.returning(*table.primary_key.columns)).first() is not None


def insert_many_ignoring_duplicates(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: Any
) -> list[Any]:
    """Insert rows in one statement, skipping those whose unique key exists; the `returning`
    column of the rows that went in."""
    if not rows:
        return []
    statement = _insert(session)(table).on_conflict_do_nothing().returning(returning)
    # Rows passed as parameters, not values: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") from a statement it compiles once and caches.
    return list(session.scalars(statement, list(rows)))


def _digest_decided(subject: DigestSubject, subject_id: Any, period_start: datetime) -> Any:
    return (
        select(Digest.id)
        .where(
            Digest.subject == subject,
            Digest.subject_id == subject_id,
            Digest.period_start == period_start,
        )
        .exists()
    )


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _claimable(session: Session, query: Select[Any]) -> Select[Any]:
    """Rows for one worker only: on PostgreSQL, rows another transaction holds are skipped.

    SQLite needs nothing: its write transactions (BEGIN IMMEDIATE) already run one at a time.
    """
    if _is_postgresql(session):
        return query.with_for_update(skip_locked=True)
    return query


class DueDigest(NamedTuple):
    """A network whose channel digest is yet to be decided."""

    network_id: int
    workspace_id: int
    channel_id: str


class UpcomingEvent(NamedTuple):
    """An event as a digest lists it, with its answers so far."""

    id: int
    network_id: int
    title: str
    starts_at: datetime
    timezone: str
    capacity: int | None
    going: int
    maybe: int


class Workspaces:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_team(self, team_id: str) -> Workspace | None:
        return self.session.scalar(select(Workspace).where(Workspace.team_id == team_id))

    def ensure(self, team_id: str, name: str | None, now: datetime) -> Workspace:
        """The workspace for a team, created on first sight."""
        values = {"team_id": team_id, "name": name, "created_at": now}
        insert_ignoring_duplicates(self.session, Workspace.__table__, values)
        workspace = self.by_team(team_id)
        assert workspace is not None
        return workspace

    def all(self) -> Sequence[Workspace]:
        return self.session.scalars(select(Workspace).order_by(Workspace.id)).all()

    def networks_version(self, workspace_id: int) -> str:
        """A value that changes whenever one of the workspace's networks is created or changed."""
        return (
            self.session.scalar(
                select(Workspace.networks_version).where(Workspace.id == workspace_id)
            )
            or ""
        )


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def away(
        self, frequency: DigestFrequency, since: datetime, after_id: int, limit: int
    ) -> Sequence[Person]:
        """People after `after_id` who take the digest this often, were known before `since`
        and have not used the bot since, who belong to a network and whose digest for the
        period starting at `since` is yet to be decided; by id."""
        member = (
            select(Membership.id)
            .where(Membership.person_id == Person.id, Membership.status == MembershipStatus.ACTIVE)
            .exists()
        )
        return self.session.scalars(
            select(Person)
            .where(
                Person.id > after_id,
                Person.digest_frequency == frequency,
                Person.created_at < since,
                or_(Person.last_seen_at.is_(None), Person.last_seen_at < since),
                member,
                ~_digest_decided(DigestSubject.PERSON, Person.id, since),
            )
            .order_by(Person.id)
            .limit(limit)
        ).all()

    def by_user(self, workspace_id: int, user_id: str) -> Person | None:
        return self.session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
        )

    def by_team_and_user(self, team_id: str, user_id: str) -> Person | None:
        return self.session.scalar(
            select(Person)
            .join(Workspace, Workspace.id == Person.workspace_id)
            .where(Workspace.team_id == team_id, Person.user_id == user_id)
        )

    def ensure(self, workspace_id: int, user_id: str, values: dict[str, Any]) -> Person:
        """The person, inserted with `values` unless someone else inserted them first."""
        row = {"workspace_id": workspace_id, "user_id": user_id, **values}
        insert_ignoring_duplicates(self.session, Person.__table__, row)
        person = self.by_user(workspace_id, user_id)
        assert person is not None
        return person

    def take_profile(
        self,
        person_id: int,
        values: dict[str, Any],
        version: int | None,
        due_before: datetime | None = None,
    ) -> bool:
        """Store what the platform said of the person, unless what is stored is a newer version
        of their profile, or (with `due_before`, for a read made because the profile was last
        read before it) the profile has been read or changed since; True when stored. One
        statement: a read of the profile that raced a change cannot put back what the change
        took away."""
        query = update(Person).where(Person.id == person_id)
        if version is not None:
            not_older = Person.profile_version.is_(None) | (Person.profile_version <= version)
            query = query.where(not_older)
        if due_before is not None:
            checked = Person.profile_checked_at
            query = query.where(checked.is_(None) | (checked < due_before))
        return self.session.execute(query.values(**values).returning(Person.id)).first() is not None

    def profiles_due(self, before: datetime, limit: int) -> list[tuple[int, str, str]]:
        """(id, team id, user id) of people seen since `before` whose profile was last read
        before it (or never), the longest unread first."""
        query = (
            select(Person.id, Workspace.team_id, Person.user_id)
            .join(Workspace, Workspace.id == Person.workspace_id)
            .where(
                Person.last_seen_at >= before,
                Person.profile_checked_at.is_(None) | (Person.profile_checked_at < before),
            )
            .order_by(Person.profile_checked_at.asc().nulls_first(), Person.id)
            .limit(limit)
        )
        return [(row.id, row.team_id, row.user_id) for row in self.session.execute(query)]

    def seen(self, person_id: int, now: datetime) -> None:
        """Note that the person used the bot now."""
        self.session.execute(update(Person).where(Person.id == person_id).values(last_seen_at=now))

    def by_id(self, workspace_id: int, person_id: int) -> Person | None:
        return self.session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.id == person_id)
        )

    def workspace_admins(self, workspace_id: int) -> Sequence[Person]:
        return self.session.scalars(
            select(Person)
            .where(Person.workspace_id == workspace_id, Person.is_workspace_admin.is_(True))
            .order_by(Person.display_name)
        ).all()


class Networks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_in(self, workspace_id: int) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(Network.workspace_id == workspace_id).order_by(Network.slug)
        ).all()

    def by_id(self, workspace_id: int, network_id: int) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.id == network_id)
        )

    def due_digests(
        self, schedule: DigestSchedule, period_start: datetime, after_id: int, limit: int
    ) -> list[DueDigest]:
        """Networks after `after_id`, with a channel and this digest schedule, whose digest for
        the period starting at `period_start` is yet to be decided; by id."""
        rows = self.session.execute(
            select(Network.id, Network.workspace_id, Network.channel_id)
            .where(
                Network.id > after_id,
                Network.digest_schedule == schedule,
                Network.channel_id.is_not(None),
                Network.archived.is_(False),
                ~_digest_decided(DigestSubject.NETWORK, Network.id, period_start),
            )
            .order_by(Network.id)
            .limit(limit)
        )
        return [DueDigest(*row) for row in rows]

    def by_ids(self, workspace_id: int, network_ids: Collection[int]) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(Network.workspace_id == workspace_id, Network.id.in_(network_ids))
        ).all()

    def by_slug(self, workspace_id: int, slug: str) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.slug == slug)
        )

    def by_channel(self, workspace_id: int, channel_id: str) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(
                Network.workspace_id == workspace_id,
                Network.channel_id == channel_id,
                Network.archived.is_(False),
            )
        ).all()

    def by_calendar_token(self, token: str) -> Network | None:
        return self.session.scalar(select(Network).where(Network.calendar_token == token))

    def lock(self, network: Network) -> None:
        """Serialise membership changes of one network (SQLite's writes are serial already)."""
        if _is_postgresql(self.session):
            self.session.execute(
                select(Network.id).where(Network.id == network.id).with_for_update()
            )

    def add(self, network: Network) -> Network:
        self.session.add(network)
        self.session.flush()
        return network


class Memberships:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self, network_id: int, person_id: int) -> Membership | None:
        """The pending or active spell of a person in a network, if any."""
        return self.session.scalar(
            select(Membership).where(
                Membership.network_id == network_id,
                Membership.person_id == person_id,
                Membership.status.in_(CURRENT_STATUSES),
            )
        )

    def by_id(self, workspace_id: int, membership_id: int, lock: bool = False) -> Membership | None:
        """A membership with its network and person; `lock` holds the row until commit."""
        query = (
            select(Membership)
            .options(
                joinedload(Membership.network, innerjoin=True),
                joinedload(Membership.person, innerjoin=True),
            )
            .where(Membership.workspace_id == workspace_id, Membership.id == membership_id)
        )
        if lock:
            query = query.with_for_update(of=Membership).execution_options(populate_existing=True)
        return self.session.scalar(query)

    def active_in(self, network_id: int) -> Sequence[Membership]:
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.person))
            .where(
                Membership.network_id == network_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.joined_at, Membership.id)
        ).all()

    def coordinators_of(self, network_id: int) -> Sequence[Person]:
        return self.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.network_id == network_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == Role.COORDINATOR,
            )
            .order_by(Person.display_name)
        ).all()

    def current_by_network(self, person_id: int) -> dict[int, Membership]:
        """A person's pending or active memberships, by network id (networks not loaded)."""
        rows = self.session.scalars(
            select(Membership).where(
                Membership.person_id == person_id, Membership.status.in_(CURRENT_STATUSES)
            )
        )
        return {membership.network_id: membership for membership in rows}

    def current_of_person(self, person_id: int) -> Sequence[Membership]:
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.network))
            .where(Membership.person_id == person_id, Membership.status.in_(CURRENT_STATUSES))
            .order_by(Membership.id)
        ).all()

    def active_count(self, network_id: int) -> int:
        """Active members of one network."""
        return (
            self.session.scalar(
                select(func.count()).where(
                    Membership.network_id == network_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
            or 0
        )

    def people_in_common(
        self, network_ids: Collection[int], excluding: int | None = None
    ) -> tuple[int, dict[int, int]]:
        """The active members of `network_ids` (`excluding` one person), counted once, and how
        many of them each network they are active in has, those networks included. Read
        through each person's own memberships, so the cost follows the people, not the
        networks' sizes."""
        fellows = (
            select(Membership.person_id)
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.ACTIVE,
            )
            .distinct()
        )
        if excluding is not None:
            fellows = fellows.where(Membership.person_id != excluding)
        them = fellows.cte("fellows")
        # Each row also carries the number of fellows: one round trip instead of two.
        rows = self.session.execute(
            select(
                Membership.network_id,
                func.count(),
                select(func.count()).select_from(them).scalar_subquery(),
            )
            .join(them, them.c.person_id == Membership.person_id)
            .where(Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.network_id)
        ).all()
        return (rows[0][2] if rows else 0), {network_id: shared for network_id, shared, _ in rows}

    def joined_between(
        self, network_ids: Collection[int], start: datetime, end: datetime, named: int
    ) -> dict[int, tuple[int, list[tuple[str, str]]]]:
        """Per network, how many of its members joined in [start, end), and the first `named`
        of them (user id, display name)."""
        order = func.row_number().over(
            partition_by=Membership.network_id, order_by=(Membership.joined_at, Membership.id)
        )
        total = func.count().over(partition_by=Membership.network_id)
        joined = (
            select(
                Membership.network_id,
                Membership.person_id,
                order.label("place"),
                total.label("total"),
            )
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.ACTIVE,
                Membership.joined_at >= start,
                Membership.joined_at < end,
            )
            .subquery()
        )
        rows = self.session.execute(
            select(joined.c.network_id, joined.c.total, Person.user_id, Person.display_name)
            .join(Person, Person.id == joined.c.person_id)
            .where(joined.c.place <= named)
            .order_by(joined.c.network_id, joined.c.place)
        ).all()
        found: dict[int, tuple[int, list[tuple[str, str]]]] = {}
        for network_id, count, user_id, display_name in rows:
            found.setdefault(network_id, (count, []))[1].append((user_id, display_name))
        return found

    def pending_in(self, network_ids: Collection[int]) -> Sequence[Membership]:
        """Requests to join these networks that wait for an answer, oldest first."""
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.person), joinedload(Membership.network))
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.PENDING,
            )
            .order_by(Membership.requested_at, Membership.id)
        ).all()

    def active_pairs(self, workspace_id: int) -> list[tuple[int, int]]:
        """(network id, person id) of every active membership in the workspace."""
        return [
            (network_id, person_id)
            for network_id, person_id in self.session.execute(
                select(Membership.network_id, Membership.person_id).where(
                    Membership.workspace_id == workspace_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
        ]

    def active_counts(
        self, workspace_id: int, only: Collection[int] | None = None
    ) -> dict[int, int]:
        """Active members per network id, for every network in the workspace or `only` those."""
        query = select(Membership.network_id, func.count()).where(
            Membership.workspace_id == workspace_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
        if only is not None:
            query = query.where(Membership.network_id.in_(only))
        rows = self.session.execute(query.group_by(Membership.network_id))
        return {network_id: count for network_id, count in rows}

    def start(
        self, network: Network, person_id: int, role: Role, at: datetime, pending: bool = False
    ) -> Membership:
        """A new spell: active from `at`, or a request pending since `at`."""
        membership = Membership(
            workspace_id=network.workspace_id,
            network_id=network.id,
            person_id=person_id,
            role=role,
            status=MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE,
            requested_at=at if pending else None,
            joined_at=None if pending else at,
        )
        self.session.add(membership)
        self.session.flush()
        return membership


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        *,
        workspace_id: int,
        action: AuditAction,
        at: datetime,
        actor_id: int | None = None,
        network_id: int | None = None,
        subject_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        """Add an entry; its id."""
        entry = AuditEntry(
            workspace_id=workspace_id,
            action=action,
            created_at=at,
            actor_id=actor_id,
            network_id=network_id,
            subject_id=subject_id,
            details=details or {},
        )
        self.session.add(entry)
        self.session.flush()
        return entry.id


class DeliveredEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_delivery(self, event_id: str, team_id: str, now: datetime) -> bool:
        """Record an Events API delivery; False when the same event was recorded before."""
        values = {"event_id": event_id, "team_id": team_id, "received_at": now}
        return insert_ignoring_duplicates(self.session, ProcessedEvent.__table__, values)


class Events:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_id(self, workspace_id: int, event_id: int, lock: bool = False) -> Event | None:
        """An event with its network; `lock` holds the event until commit, so that answers to
        one event are taken one at a time (SQLite's writes are serial already)."""
        query = (
            select(Event)
            .options(joinedload(Event.network, innerjoin=True))
            .where(Event.workspace_id == workspace_id, Event.id == event_id)
        )
        if lock and _is_postgresql(self.session):
            query = query.with_for_update(of=Event).execution_options(populate_existing=True)
        return self.session.scalar(query)

    def get(self, event_id: int) -> Event | None:
        """An event by id alone, for the worker, which acts across workspaces."""
        return self.session.get(Event, event_id)

    def by_ids(self, event_ids: Sequence[int]) -> Sequence[Event]:
        """Events by id alone, for the worker."""
        return self.session.scalars(select(Event).where(Event.id.in_(event_ids))).all()

    def add(self, event: Event) -> Event:
        self.session.add(event)
        self.session.flush()
        return event

    def upcoming(
        self, workspace_id: int, network_ids: Sequence[int], after: datetime, limit: int
    ) -> Sequence[Event]:
        """Scheduled events of these networks that have not ended, soonest first."""
        return self.session.scalars(
            select(Event)
            .options(joinedload(Event.network, innerjoin=True))
            .where(
                Event.workspace_id == workspace_id,
                Event.network_id.in_(network_ids),
                Event.status == EventStatus.SCHEDULED,
                Event.ends_at > after,
            )
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        ).all()

    def starting_between(
        self,
        network_ids: Collection[int],
        start: datetime,
        end: datetime,
        announced_before: datetime,
    ) -> list[UpcomingEvent]:
        """Scheduled events of these networks announced before `announced_before` that start
        in [start, end), soonest first, each with how many are going and how many may come.

        Plain rows rather than Event objects: a digest run reads thousands of them at once."""
        going = func.count(Rsvp.id).filter(Rsvp.attendance == Attendance.GOING)
        maybe = func.count(Rsvp.id).filter(Rsvp.attendance == Attendance.MAYBE)
        rows = self.session.execute(
            select(
                Event.id,
                Event.network_id,
                Event.title,
                Event.starts_at,
                Event.timezone,
                Event.capacity,
                going,
                maybe,
            )
            .outerjoin(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Event.network_id.in_(network_ids),
                Event.status == EventStatus.SCHEDULED,
                Event.created_at < announced_before,
                Event.starts_at >= start,
                Event.starts_at < end,
            )
            .group_by(Event.id)
            .order_by(Event.starts_at, Event.id)
        )
        return [UpcomingEvent(*row) for row in rows]

    def of_network(self, network_id: int, since: datetime) -> Sequence[Event]:
        """Every event of a network that ends after `since`, cancelled ones included."""
        return self.session.scalars(
            select(Event)
            .where(Event.network_id == network_id, Event.ends_at > since)
            .order_by(Event.starts_at, Event.id)
        ).all()


class Rsvps:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_person_starting_between(
        self,
        person_id: int,
        attendances: Collection[Attendance],
        start: datetime,
        end: datetime,
    ) -> Sequence[Event]:
        """Scheduled events starting in [start, end) that a person had answered so by `start`,
        soonest first."""
        return self.session.scalars(
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Rsvp.person_id == person_id,
                Rsvp.attendance.in_(attendances),
                Rsvp.answered_at < start,
                Event.status == EventStatus.SCHEDULED,
                Event.starts_at >= start,
                Event.starts_at < end,
            )
            .order_by(Event.starts_at, Event.id)
        ).all()

    def of(self, event_id: int, person_id: int) -> Rsvp | None:
        return self.session.scalar(
            select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.person_id == person_id)
        )

    def of_event(self, event_id: int) -> Sequence[Rsvp]:
        """Every answer to an event with its person, in the order seats were asked for."""
        return self.session.scalars(
            select(Rsvp)
            .options(joinedload(Rsvp.person, innerjoin=True))
            .where(Rsvp.event_id == event_id)
            .order_by(Rsvp.queue_order, Rsvp.id)
        ).all()

    def count(self, event_id: int, attendance: Attendance) -> int:
        return (
            self.session.scalar(
                select(func.count()).where(Rsvp.event_id == event_id, Rsvp.attendance == attendance)
            )
            or 0
        )

    def first_waiting(self, event_id: int) -> Rsvp | None:
        return self.session.scalar(
            select(Rsvp)
            .options(joinedload(Rsvp.person, innerjoin=True))
            .where(Rsvp.event_id == event_id, Rsvp.attendance == Attendance.WAITLISTED)
            .order_by(Rsvp.queue_order, Rsvp.id)
            .limit(1)
        )

    def waiting_ahead(self, rsvp: Rsvp) -> int:
        """How many wait before this answer on the waitlist."""
        return (
            self.session.scalar(
                select(func.count()).where(
                    Rsvp.event_id == rsvp.event_id,
                    Rsvp.attendance == Attendance.WAITLISTED,
                    Rsvp.queue_order < rsvp.queue_order,
                )
            )
            or 0
        )

    def going_and_next_place(self, event_id: int) -> tuple[int, int]:
        """How many are going to the event, and the place in its queue of the next answer."""
        going, last = self.session.execute(
            select(
                func.count().filter(Rsvp.attendance == Attendance.GOING),
                func.max(Rsvp.queue_order),
            ).where(Rsvp.event_id == event_id)
        ).one()
        return going, (last or 0) + 1

    def going_with_reminders(self, event_ids: Sequence[int]) -> dict[int, list[Person]]:
        """The people going to each event who have not turned reminders off."""
        found: dict[int, list[Person]] = {event_id: [] for event_id in event_ids}
        rows = self.session.execute(
            select(Rsvp.event_id, Person)
            .join(Rsvp, Rsvp.person_id == Person.id)
            .where(
                Rsvp.event_id.in_(event_ids),
                Rsvp.attendance == Attendance.GOING,
                Person.reminders_enabled.is_(True),
            )
            .order_by(Rsvp.event_id, Rsvp.queue_order)
        )
        for event_id, person in rows:
            found[event_id].append(person)
        return found

    def going_people(self, event_id: int) -> Sequence[Person]:
        """The people going to an event, in the order they took their seats."""
        return self.session.scalars(
            select(Person)
            .join(Rsvp, Rsvp.person_id == Person.id)
            .where(Rsvp.event_id == event_id, Rsvp.attendance == Attendance.GOING)
            .order_by(Rsvp.queue_order)
        ).all()

    def add(self, rsvp: Rsvp) -> Rsvp:
        self.session.add(rsvp)
        self.session.flush()
        return rsvp

    def remove(self, rsvp: Rsvp) -> None:
        self.session.delete(rsvp)
        self.session.flush()


class Reminders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_event(self, event_id: int) -> dict[int, EventReminder]:
        """An event's reminders by minutes before the start."""
        rows = self.session.scalars(select(EventReminder).where(EventReminder.event_id == event_id))
        return {row.minutes_before: row for row in rows}

    def add(self, event_id: int, minutes_before: int, due_at: datetime) -> None:
        self.session.add(
            EventReminder(event_id=event_id, minutes_before=minutes_before, due_at=due_at)
        )

    def claim_due(self, now: datetime, limit: int) -> Sequence[EventReminder]:
        """Pending reminders whose time has come, for this transaction alone."""
        query = (
            select(EventReminder)
            .where(EventReminder.state == ReminderState.PENDING, EventReminder.due_at <= now)
            .order_by(EventReminder.due_at, EventReminder.id)
            .limit(limit)
        )
        return self.session.scalars(_claimable(self.session, query)).all()

    def cancel_pending(self, event_id: int) -> None:
        self.session.execute(
            update(EventReminder)
            .where(
                EventReminder.event_id == event_id,
                EventReminder.state == ReminderState.PENDING,
            )
            .values(state=ReminderState.CANCELLED)
        )


def _new_message(
    workspace_id: int,
    network_id: int | None,
    key: str,
    kind: MessageKind,
    recipient: str,
    payload: dict[str, Any] | None,
    due_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """An outbox row's values as first queued."""
    return {
        "workspace_id": workspace_id,
        "network_id": network_id,
        "key": key,
        "kind": kind,
        "recipient": recipient,
        "payload": payload or {},
        "state": Delivery.PENDING,
        "due_at": due_at,
        "attempts": 0,
        "rearm": False,
        "created_at": now,
    }


class Outbox:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The ids of messages queued or re-armed through this store, by key.
        self._ids: dict[str, int] = {}

    def put(
        self,
        *,
        workspace_id: int,
        key: str,
        kind: MessageKind,
        recipient: str,
        due_at: datetime,
        now: datetime,
        network_id: int | None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Queue a message about a network (None: about a person alone) unless one with the
        same key was queued before; True when queued."""
        values = _new_message(workspace_id, network_id, key, kind, recipient, payload, due_at, now)
        return insert_ignoring_duplicates(self.session, OutboxMessage.__table__, values)

    def backlog(self, now: datetime) -> tuple[int, datetime | None, int]:
        """How many messages are due and wait to be sent (or are being sent), since when the
        oldest of them has been due, and how many failed for good. Messages queued for later
        (an announcement's refresh when answers close) are not waiting yet."""
        waiting = OutboxMessage.state.in_((Delivery.PENDING, Delivery.SENDING)) & (
            OutboxMessage.due_at <= now
        )
        count, oldest = self.session.execute(
            select(func.count(), func.min(OutboxMessage.due_at)).where(waiting)
        ).one()
        failed = self.session.scalar(
            select(func.count()).where(OutboxMessage.state == Delivery.FAILED)
        )
        return count, oldest, failed or 0

    def put_many(self, messages: Sequence[dict[str, Any]], now: datetime) -> int:
        """Queue messages (each: workspace_id, network_id, key, kind, recipient, payload), due
        now, in one statement; those whose key was queued before are skipped. How many were
        queued."""
        rows = [_new_message(**message, due_at=now, now=now) for message in messages]
        table = OutboxMessage.__table__
        return len(insert_many_ignoring_duplicates(self.session, table, rows, table.c.id))

    def put_or_rearm(
        self,
        *,
        workspace_id: int,
        key: str,
        kind: MessageKind,
        recipient: str,
        now: datetime,
        network_id: int | None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Queue a message that shows the current state of something (an announcement's
        counts): sent again if it was sent already, and once more if it is being sent now.

        One statement, since every answer to a busy announcement runs it on the same row."""
        table = OutboxMessage.__table__
        sending = OutboxMessage.state == Delivery.SENDING
        statement = (
            _insert(self.session)(table)
            .values(_new_message(workspace_id, network_id, key, kind, recipient, payload, now, now))
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "rearm": sending,
                    "state": case((sending, Delivery.SENDING), else_=Delivery.PENDING),
                    "due_at": now,
                    "attempts": case((sending, OutboxMessage.attempts), else_=0),
                },
            )
            .returning(table.c.id)
        )
        self._ids[key] = self.session.execute(statement).scalar_one()

    def claim(
        self,
        now: datetime,
        lease: timedelta,
        limit: int,
        ids: Sequence[int] | None = None,
        refresh_spacing: timedelta = timedelta(0),
    ) -> list[tuple[OutboxMessage, bool]]:
        """Take due messages for sending: pending ones, and ones whose sender's lease ran out
        (it stopped half-way), each with whether it was interrupted so. The lease keeps other
        senders off them until it ends. A message sent before (a refresh) is due again only
        `refresh_spacing` after it was last sent."""
        due = (OutboxMessage.state == Delivery.PENDING) | (
            (OutboxMessage.state == Delivery.SENDING) & (OutboxMessage.lease_until <= now)
        )
        rested = OutboxMessage.sent_at.is_(None) | (OutboxMessage.sent_at <= now - refresh_spacing)
        query = select(OutboxMessage).where(due, rested, OutboxMessage.due_at <= now)
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        query = query.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        rows = self.session.scalars(_claimable(self.session, query)).all()
        claimed = [(row, row.state is Delivery.SENDING) for row in rows]
        for row in rows:
            row.state = Delivery.SENDING
            row.lease_until = now + lease
            row.attempts += 1
        self.session.flush()
        return claimed

    def failed_in(
        self, network_ids: Collection[int], since: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Messages about these networks that failed for good, last due since `since`, newest
        first."""
        return self.session.scalars(
            select(OutboxMessage)
            .options(joinedload(OutboxMessage.network))
            .where(
                OutboxMessage.network_id.in_(network_ids),
                OutboxMessage.state == Delivery.FAILED,
                OutboxMessage.due_at >= since,
            )
            .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        ).all()

    def by_key(self, key: str) -> OutboxMessage | None:
        return self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    def sent_with_prefix(self, key_prefix: str) -> Sequence[OutboxMessage]:
        """Messages already sent whose key starts with `key_prefix` (a request's notices)."""
        return self.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.key.startswith(key_prefix, autoescape=True),
                OutboxMessage.state == Delivery.SENT,
            )
            .order_by(OutboxMessage.id)
        ).all()

    def ids_by_keys(self, keys: Sequence[str]) -> list[int]:
        """The ids of the messages with these keys; those queued through this store are known
        without asking the database."""
        unknown = [key for key in keys if key not in self._ids]
        found = [self._ids[key] for key in keys if key in self._ids]
        if unknown:
            query = select(OutboxMessage.id).where(OutboxMessage.key.in_(unknown))
            found += self.session.scalars(query)
        return found

    def finish(self, message_id: int, channel: str | None, ts: str | None, now: datetime) -> bool:
        """Sent: keep where it went. A message that changed meanwhile is due once more, and
        True is returned."""
        rearmed = self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=case((OutboxMessage.rearm, Delivery.PENDING), else_=Delivery.SENT),
                rearm=False,
                lease_until=None,
                last_error=None,
                sent_channel=func.coalesce(channel, OutboxMessage.sent_channel),
                sent_ts=func.coalesce(ts, OutboxMessage.sent_ts),
                sent_at=now,
            )
            .returning(OutboxMessage.state)
        ).scalar_one()
        return rearmed is Delivery.PENDING

    def postpone(
        self, message_id: int, until: datetime, error: str, interrupted: bool = False
    ) -> None:
        """Not sent this time: due again at `until` (rendered afresh then, so no re-arming).
        An `interrupted` message may have reached the platform: it is left as a sender's whose
        lease ends at `until`, so that the next sender looks for it before sending again."""
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=Delivery.SENDING if interrupted else Delivery.PENDING,
                due_at=until,
                lease_until=until if interrupted else None,
                rearm=False,
                last_error=error,
            )
        )

    def fail(self, message_id: int, error: str) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state=Delivery.FAILED, lease_until=None, rearm=False, last_error=error)
        )

    def cancel_pending(self, key_prefix: str) -> None:
        """Drop queued messages whose key starts with `key_prefix` (an event's reminders)."""
        self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.key.startswith(key_prefix, autoescape=True),
                OutboxMessage.state == Delivery.PENDING,
            )
            .values(state=Delivery.CANCELLED)
        )


class Polls:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open_or_closed_between(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> Sequence[Poll]:
        """The networks' polls (not event feedback) open at `end`, or closed in [start, end),
        with their options."""
        open_at_end = and_(
            Poll.created_at < end,
            or_(Poll.status == PollStatus.OPEN, Poll.closed_at >= end),
        )
        closed_within = and_(Poll.closed_at >= start, Poll.closed_at < end)
        return (
            self.session.scalars(
                select(Poll)
                .options(joinedload(Poll.options))
                .where(
                    Poll.network_id.in_(network_ids),
                    Poll.event_id.is_(None),
                    or_(open_at_end, closed_within),
                )
                .order_by(Poll.created_at, Poll.id)
            )
            .unique()
            .all()
        )

    def by_id(self, workspace_id: int, poll_id: int, lock: bool = False) -> Poll | None:
        """A poll with its network and options; `lock` holds it until commit."""
        query = (
            select(Poll)
            .options(joinedload(Poll.network, innerjoin=True), joinedload(Poll.options))
            .where(Poll.workspace_id == workspace_id, Poll.id == poll_id)
        )
        if lock and _is_postgresql(self.session):
            query = query.with_for_update(of=Poll).execution_options(populate_existing=True)
        return self.session.scalars(query).unique().one_or_none()

    def add(self, poll: Poll, labels: Sequence[str]) -> Poll:
        self.session.add(poll)
        self.session.flush()
        for position, label in enumerate(labels):
            self.session.add(PollOption(poll_id=poll.id, position=position, label=label))
        self.session.flush()
        self.session.refresh(poll, ["options"])
        return poll

    def add_feedback(self, poll: Poll, labels: Sequence[str]) -> bool:
        """Add an event's feedback poll unless the event has one already; True when added."""
        values = {
            column.key: getattr(poll, column.key)
            for column in Poll.__table__.columns
            if column.key != "id"
        }
        if not insert_ignoring_duplicates(self.session, Poll.__table__, values):
            return False
        poll.id = self.session.scalar(select(Poll.id).where(Poll.event_id == poll.event_id))
        for position, label in enumerate(labels):
            self.session.add(PollOption(poll_id=poll.id, position=position, label=label))
        self.session.flush()
        return True

    def add_option(self, poll: Poll, label: str, person_id: int) -> None:
        position = max((option.position for option in poll.options), default=-1) + 1
        self.session.add(
            PollOption(poll_id=poll.id, position=position, label=label, added_by=person_id)
        )
        self.session.flush()
        self.session.refresh(poll, ["options"])

    def claim_due(self, now: datetime, limit: int) -> Sequence[Poll]:
        """Open polls whose closing time has come, for this transaction alone."""
        query = (
            select(Poll)
            .options(joinedload(Poll.network, innerjoin=True), selectinload(Poll.options))
            .where(Poll.status == PollStatus.OPEN, Poll.closes_at <= now)
            .order_by(Poll.closes_at, Poll.id)
            .limit(limit)
        )
        if _is_postgresql(self.session):
            query = query.with_for_update(of=Poll, skip_locked=True)
        return self.session.scalars(query).all()

    def events_without_feedback(
        self, now: datetime, ended_after: datetime, limit: int
    ) -> Sequence[Event]:
        """Events that ended (since `ended_after`), were held, and have no feedback poll yet."""
        asked = select(Poll.event_id).where(Poll.event_id.is_not(None))
        query = (
            select(Event)
            .where(
                Event.status == EventStatus.SCHEDULED,
                Event.ends_at <= now,
                Event.ends_at > ended_after,
                Event.id.not_in(asked),
            )
            .order_by(Event.ends_at, Event.id)
            .limit(limit)
        )
        return self.session.scalars(_claimable(self.session, query)).all()


class Ballots:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(
        self,
        poll_id: int,
        voter: str,
        person_id: int | None,
        voted_at: datetime | None,
        lock: bool = False,
    ) -> Ballot:
        """The voter's ballot, made empty on first use; `lock` holds it until commit, so that
        one voter's clicks are counted one after the other."""
        values = {"poll_id": poll_id, "voter": voter, "person_id": person_id, "voted_at": voted_at}
        insert_ignoring_duplicates(self.session, Ballot.__table__, values)
        query = (
            select(Ballot)
            .options(joinedload(Ballot.choices))
            .where(Ballot.poll_id == poll_id, Ballot.voter == voter)
        )
        if lock and _is_postgresql(self.session):
            query = query.with_for_update(of=Ballot).execution_options(populate_existing=True)
        ballot = self.session.scalars(query).unique().one_or_none()
        assert ballot is not None
        if voted_at is not None:
            ballot.voted_at = voted_at
        return ballot

    def set_choices(self, ballot: Ballot, option_ids: set[int]) -> None:
        ballot.choices = [BallotChoice(option_id=option_id) for option_id in sorted(option_ids)]
        self.session.flush()

    def counts(self, poll_id: int) -> dict[int, int]:
        """Votes per option id."""
        rows = self.session.execute(
            select(BallotChoice.option_id, func.count())
            .join(Ballot, Ballot.id == BallotChoice.ballot_id)
            .where(Ballot.poll_id == poll_id)
            .group_by(BallotChoice.option_id)
        )
        return {option_id: count for option_id, count in rows}

    def tallies(self, poll_ids: Collection[int]) -> dict[int, tuple[int, dict[int, int]]]:
        """For each poll with votes: how many chose something, and the votes per option id
        (one statement: the votes per option, and per poll the ballots that chose)."""
        chosen = (
            select(Ballot.poll_id, BallotChoice.option_id, BallotChoice.ballot_id)
            .join(Ballot, Ballot.id == BallotChoice.ballot_id)
            .where(Ballot.poll_id.in_(poll_ids))
            .subquery()
        )
        per_option = select(chosen.c.poll_id, chosen.c.option_id, func.count()).group_by(
            chosen.c.poll_id, chosen.c.option_id
        )
        per_poll = select(
            chosen.c.poll_id, literal(None), func.count(func.distinct(chosen.c.ballot_id))
        ).group_by(chosen.c.poll_id)
        found: dict[int, tuple[int, dict[int, int]]] = {}
        votes: dict[int, dict[int, int]] = {}
        for poll_id, option_id, count in self.session.execute(union_all(per_option, per_poll)):
            if option_id is None:
                found[poll_id] = (count, votes.setdefault(poll_id, {}))
            else:
                votes.setdefault(poll_id, {})[option_id] = count
        return found

    def voter_count(self, poll_id: int) -> int:
        """People who have chosen at least one option."""
        return (
            self.session.scalar(
                select(func.count(func.distinct(BallotChoice.ballot_id)))
                .join(Ballot, Ballot.id == BallotChoice.ballot_id)
                .where(Ballot.poll_id == poll_id)
            )
            or 0
        )

    def voters_with_choices(self, poll_id: int) -> set[str]:
        """The voter keys of ballots that choose something."""
        return set(
            self.session.scalars(
                select(Ballot.voter)
                .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
                .where(Ballot.poll_id == poll_id)
            )
        )

    def voters_with_choices_in(self, poll_ids: Collection[int]) -> set[tuple[int, str]]:
        """(poll id, voter key) of every ballot that chooses something in these polls."""
        if not poll_ids:
            return set()
        rows = self.session.execute(
            select(Ballot.poll_id, Ballot.voter)
            .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
            .where(Ballot.poll_id.in_(poll_ids))
            .distinct()
        )
        return {(poll_id, voter) for poll_id, voter in rows}

    def of_poll(self, poll_id: int) -> Sequence[Ballot]:
        return self.session.scalars(
            select(Ballot)
            .options(selectinload(Ballot.choices), joinedload(Ballot.person))
            .where(Ballot.poll_id == poll_id)
            .order_by(Ballot.id)
        ).all()


class Signals:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, signal: Signal) -> Signal:
        self.session.add(signal)
        self.session.flush()
        return signal

    def by_id(self, workspace_id: int, signal_id: int) -> Signal | None:
        return self.session.scalar(
            select(Signal)
            .options(joinedload(Signal.network), joinedload(Signal.author))
            .where(Signal.workspace_id == workspace_id, Signal.id == signal_id)
        )

    def by_source(self, network_id: int, channel: str, ts: str) -> Signal | None:
        """The signal saved from one message into one network, if it was."""
        return self.session.scalar(
            select(Signal).where(
                Signal.network_id == network_id,
                Signal.source_channel == channel,
                Signal.source_ts == ts,
            )
        )

    def of_network(self, network_id: int, limit: int | None = None) -> Sequence[Signal]:
        """A network's signals, newest first."""
        query = (
            select(Signal)
            .options(joinedload(Signal.author))
            .where(Signal.network_id == network_id)
            .order_by(Signal.created_at.desc(), Signal.id.desc())
        )
        return self.session.scalars(query.limit(limit) if limit else query).all()

    def count(self, network_id: int) -> int:
        return self.session.scalar(select(func.count()).where(Signal.network_id == network_id)) or 0

    def between(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> list[tuple[Signal, int]]:
        """The networks' signals saved in [start, end), each with its count of "+1"s."""
        seconds = func.count(SignalSecond.person_id)
        rows = self.session.execute(
            select(Signal, seconds)
            .outerjoin(SignalSecond, SignalSecond.signal_id == Signal.id)
            .where(
                Signal.network_id.in_(network_ids),
                Signal.created_at >= start,
                Signal.created_at < end,
            )
            .group_by(Signal.id)
            .order_by(seconds.desc(), Signal.created_at, Signal.id)
        ).all()
        return [(signal, count) for signal, count in rows]

    def seconds(self, signal_ids: Collection[int]) -> dict[int, int]:
        """How many people said they saw each signal too."""
        rows = self.session.execute(
            select(SignalSecond.signal_id, func.count())
            .where(SignalSecond.signal_id.in_(signal_ids))
            .group_by(SignalSecond.signal_id)
        )
        return {signal_id: count for signal_id, count in rows}

    def seconded_by(self, person_id: int, signal_ids: Collection[int]) -> set[int]:
        return set(
            self.session.scalars(
                select(SignalSecond.signal_id).where(
                    SignalSecond.person_id == person_id, SignalSecond.signal_id.in_(signal_ids)
                )
            )
        )

    def second(self, signal_id: int, person_id: int, now: datetime) -> bool:
        """Add a person's +1; False when they had given it already."""
        values = {"signal_id": signal_id, "person_id": person_id, "created_at": now}
        return insert_ignoring_duplicates(self.session, SignalSecond.__table__, values)

    def take_back(self, signal_id: int, person_id: int) -> None:
        self.session.execute(
            delete(SignalSecond).where(
                SignalSecond.signal_id == signal_id, SignalSecond.person_id == person_id
            )
        )


class Digests:
    def __init__(self, session: Session) -> None:
        self.session = session

    def activity(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> dict[int, tuple[int, int, int]]:
        """Per network, how many joined, how many events were announced and how many signals
        were saved in [start, end); networks where nothing happened are left out."""
        found: dict[int, list[int]] = {}
        for column, (table_network, created) in enumerate(
            (
                (Membership.network_id, Membership.joined_at),
                (Event.network_id, Event.created_at),
                (Signal.network_id, Signal.created_at),
            )
        ):
            rows = self.session.execute(
                select(table_network, func.count())
                .where(table_network.in_(network_ids), created >= start, created < end)
                .group_by(table_network)
            )
            for network_id, count in rows:
                found.setdefault(network_id, [0, 0, 0])[column] = count
        return {network_id: (a, b, c) for network_id, (a, b, c) in found.items()}

    def decide(
        self,
        subject: DigestSubject,
        period_start: datetime,
        period_end: datetime,
        decisions: Sequence[tuple[int, int, bool]],
        now: datetime,
    ) -> set[int]:
        """Record the period's decisions, (workspace id, subject id, queued) each; the subjects
        this transaction decided first. Another worker's decisions stand: nothing may be queued
        for the others."""
        rows = [
            {
                "workspace_id": workspace_id,
                "subject": subject,
                "subject_id": subject_id,
                "period_start": period_start,
                "period_end": period_end,
                "queued": queued,
                "created_at": now,
            }
            for workspace_id, subject_id, queued in decisions
        ]
        return set(
            insert_many_ignoring_duplicates(
                self.session, Digest.__table__, rows, Digest.__table__.c.subject_id
            )
        )


class Reports:
    """What a network's report reads: its history, not its current state."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def spells(self, network_id: int) -> list[tuple[int, datetime, datetime | None]]:
        """Every membership a network has had: (person id, joined at, left at or None)."""
        rows = self.session.execute(
            select(Membership.person_id, Membership.joined_at, Membership.left_at).where(
                Membership.network_id == network_id,
                Membership.joined_at.is_not(None),
                Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.LEFT)),
            )
        )
        return [(person, joined, left) for person, joined, left in rows]

    def events_held(
        self, network_id: int, start: datetime, end: datetime
    ) -> list[tuple[Event, int]]:
        """The network's events that ended in [start, end), not cancelled, with how many were
        going."""
        going = func.count(Rsvp.id).filter(Rsvp.attendance == Attendance.GOING)
        rows = self.session.execute(
            select(Event, going)
            .outerjoin(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Event.network_id == network_id,
                Event.status == EventStatus.SCHEDULED,
                Event.ends_at >= start,
                Event.ends_at < end,
            )
            .group_by(Event.id)
            .order_by(Event.starts_at, Event.id)
        ).all()
        return [(event, count) for event, count in rows]

    def polls_asked(self, network_id: int, start: datetime, end: datetime) -> Sequence[Poll]:
        """The network's polls (not event feedback) asked in [start, end)."""
        return self.session.scalars(
            select(Poll)
            .where(
                Poll.network_id == network_id,
                Poll.event_id.is_(None),
                Poll.created_at >= start,
                Poll.created_at < end,
            )
            .order_by(Poll.created_at, Poll.id)
        ).all()

    def active_people(self, network_id: int, start: datetime, end: datetime) -> set[int]:
        """Who did something in the network in [start, end): answered an event, voted in an
        open poll, saved a signal or said they saw one too. (Anonymous votes name nobody.)"""
        answered = (
            select(Rsvp.person_id)
            .join(Event, Event.id == Rsvp.event_id)
            .where(
                Event.network_id == network_id, Rsvp.answered_at >= start, Rsvp.answered_at < end
            )
        )
        voted = (
            select(Ballot.person_id)
            .join(Poll, Poll.id == Ballot.poll_id)
            .where(
                Poll.network_id == network_id,
                Ballot.person_id.is_not(None),
                Ballot.voted_at >= start,
                Ballot.voted_at < end,
            )
        )
        saved = select(Signal.author_id).where(
            Signal.network_id == network_id,
            Signal.author_id.is_not(None),
            Signal.created_at >= start,
            Signal.created_at < end,
        )
        seconded = (
            select(SignalSecond.person_id)
            .join(Signal, Signal.id == SignalSecond.signal_id)
            .where(
                Signal.network_id == network_id,
                SignalSecond.created_at >= start,
                SignalSecond.created_at < end,
            )
        )
        return set(self.session.scalars(union(answered, voted, saved, seconded)))

    def elsewhere(self, person_ids: Collection[int], network_id: int) -> list[tuple[int, int, str]]:
        """(person, other network, its coordinating organisation) for every active membership
        these people have in networks other than `network_id`."""
        if not person_ids:
            return []
        rows = self.session.execute(
            select(Membership.person_id, Network.id, Network.coordinating_organisation)
            .join(Network, Network.id == Membership.network_id)
            .where(
                Membership.person_id.in_(person_ids),
                Membership.network_id != network_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        return [(person, network, organisation or "") for person, network, organisation in rows]


class PersonalData:
    """What is stored about one person: to show it to them, to remove it, and to let old
    records go after the retention period."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def memberships(self, person_id: int) -> Sequence[Membership]:
        """Every spell in every network, history included, oldest first."""
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.network))
            .where(Membership.person_id == person_id)
            .order_by(Membership.id)
        ).all()

    def rsvps(self, person_id: int) -> list[tuple[Rsvp, Event]]:
        rows = self.session.execute(
            select(Rsvp, Event)
            .join(Event, Event.id == Rsvp.event_id)
            .where(Rsvp.person_id == person_id)
            .order_by(Event.starts_at, Event.id)
        )
        return [(rsvp, event) for rsvp, event in rows]

    def signals(self, person_id: int) -> Sequence[Signal]:
        """The signals the person saved."""
        return self.session.scalars(
            select(Signal)
            .options(joinedload(Signal.network))
            .where(Signal.author_id == person_id)
            .order_by(Signal.id)
        ).all()

    def seconded(self, person_id: int) -> list[tuple[Signal, datetime]]:
        """The signals the person said they saw too, and when."""
        rows = self.session.execute(
            select(Signal, SignalSecond.created_at)
            .join(SignalSecond, SignalSecond.signal_id == Signal.id)
            .where(SignalSecond.person_id == person_id)
            .order_by(SignalSecond.created_at)
        )
        return [(signal, at) for signal, at in rows]

    def attributable_ballots(self, person_id: int) -> Sequence[Ballot]:
        """The person's ballots in polls that are not anonymous, with poll and choices."""
        return (
            self.session.scalars(
                select(Ballot)
                .options(
                    joinedload(Ballot.choices), selectinload(Ballot.poll).joinedload(Poll.options)
                )
                .where(Ballot.person_id == person_id)
                .order_by(Ballot.id)
            )
            .unique()
            .all()
        )

    def audit_entries(self, person_id: int) -> Sequence[AuditEntry]:
        """What the log holds of the person, as the one who acted or the one acted upon."""
        return self.session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.actor_id == person_id, AuditEntry.subject_id == person_id))
            .order_by(AuditEntry.id)
        ).all()

    def authored(self, person_id: int) -> tuple[int, int]:
        """How many events and signals the person created: kept when they are forgotten."""
        events = self.session.scalar(
            select(func.count()).select_from(Event).where(Event.creator_id == person_id)
        )
        signals = self.session.scalar(
            select(func.count()).select_from(Signal).where(Signal.author_id == person_id)
        )
        return events or 0, signals or 0

    def anonymous_polls(self, workspace_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(Poll.id).where(Poll.workspace_id == workspace_id, Poll.anonymous.is_(True))
            )
        )

    def unlink_ballots(self, voters: Collection[tuple[int, str]], new_voter: Any) -> int:
        """Give the ballots found by (poll id, voter key) a voter key that leads nowhere
        (`new_voter()` each); their choices stay in the counts. How many."""
        wanted = set(voters)
        keys = sorted({voter for _, voter in wanted})
        found = 0
        # By the key alone, in chunks (a key names its poll too): a workspace may have
        # thousands of anonymous polls, more than one statement should carry.
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            for ballot in self.session.scalars(select(Ballot).where(Ballot.voter.in_(chunk))):
                if (ballot.poll_id, ballot.voter) in wanted:
                    ballot.voter = new_voter()
                    found += 1
        return found

    def remove_person(self, person: Person) -> None:
        """The person's row, and with it (by the foreign keys) their memberships, answers,
        "+1"s and attributable ballots; what they authored stays, without them. Their digest
        decisions and the messages the bot kept for or about them go too."""
        self.session.execute(
            delete(Digest).where(
                Digest.subject == DigestSubject.PERSON, Digest.subject_id == person.id
            )
        )
        self.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.workspace_id == person.workspace_id,
                OutboxMessage.recipient == person.user_id,
            )
        )
        self.session.execute(delete(Person).where(Person.id == person.id))

    def prune(self, before: datetime) -> tuple[int, int, int]:
        """Let go of what is older than `before`: sent or cancelled outbox messages, Events API
        delivery ids, and the comments of polls closed before it. How many of each."""
        messages = self.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.state.in_((Delivery.SENT, Delivery.CANCELLED)),
                OutboxMessage.created_at < before,
            )
        ).rowcount
        deliveries = self.session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < before)
        ).rowcount
        old_polls = select(Poll.id).where(Poll.closed_at < before).scalar_subquery()
        comments = self.session.execute(
            update(Ballot)
            .where(Ballot.poll_id.in_(old_polls), Ballot.comment.is_not(None))
            .values(comment=None)
        ).rowcount
        return messages, deliveries, comments


class Store:
    """The repositories of one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # What callers choose to read once per transaction (a workspace's networks version).
        self.read_once: dict[object, Any] = {}
        self.workspaces = Workspaces(session)
        self.people = People(session)
        self.networks = Networks(session)
        self.memberships = Memberships(session)
        self.audit = AuditLog(session)
        self.deliveries = DeliveredEvents(session)
        self.events = Events(session)
        self.rsvps = Rsvps(session)
        self.reminders = Reminders(session)
        self.outbox = Outbox(session)
        self.polls = Polls(session)
        self.ballots = Ballots(session)
        self.signals = Signals(session)
        self.digests = Digests(session)
        self.reports = Reports(session)
        self.personal_data = PersonalData(session)

    def flush(self) -> None:
        self.session.flush()
