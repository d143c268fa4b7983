"""Events, the answers to them, and their reminders."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Select,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session, joinedload

from bot.domain import (
    Attendance,
    EventStatus,
    ReminderState,
)
from storage.models import (
    Event,
    EventReminder,
    Network,
    Person,
    Rsvp,
    Workspace,
)
from storage.repositories.networks import is_public
from storage.repositories.sql import claimable, is_postgresql


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
        if lock and is_postgresql(self.session):
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

    def public_upcoming(
        self,
        now: datetime,
        network_ids: Collection[int] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Sequence[Event]:
        """Announced, scheduled events of the web directory's networks (of `network_ids`, or
        all) that have not ended, soonest first."""
        query = self._public(now).where(Event.status == EventStatus.SCHEDULED, Event.ends_at > now)
        if network_ids is not None:
            query = query.where(Event.network_id.in_(network_ids))
        query = query.order_by(Event.starts_at, Event.id).offset(offset).limit(limit)
        return self.session.scalars(query).all()

    def public_upcoming_count(self, now: datetime) -> int:
        """How many events `public_upcoming` has in all."""
        query = self._public(now).where(Event.status == EventStatus.SCHEDULED, Event.ends_at > now)
        return self.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    def public_since(
        self, since: datetime, now: datetime, network_id: int | None = None
    ) -> Sequence[Event]:
        """The announced events of the directory's networks (of `network_id`, or all) that end
        after `since`, cancelled ones included (a calendar takes them away)."""
        query = self._public(now).where(Event.ends_at > since)
        if network_id is not None:
            query = query.where(Event.network_id == network_id)
        return self.session.scalars(query.order_by(Event.starts_at, Event.id)).all()

    @staticmethod
    def _public(now: datetime) -> Select[tuple[Event]]:
        return (
            select(Event)
            .join(Network, Network.id == Event.network_id)
            .join(Workspace, Workspace.id == Network.workspace_id)
            .where(is_public(), Workspace.uninstalled_at.is_(None), Event.announce_at <= now)
        )

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
        return self.session.scalars(claimable(self.session, query)).all()

    def cancel_pending(self, event_id: int) -> None:
        self.session.execute(
            update(EventReminder)
            .where(
                EventReminder.event_id == event_id,
                EventReminder.state == ReminderState.PENDING,
            )
            .values(state=ReminderState.CANCELLED)
        )
