"""What a network's report reads: its members, events, polls and signals over a period."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    func,
    select,
    union,
)
from sqlalchemy.orm import Session

from bot.domain import (
    Attendance,
    EventStatus,
    MembershipStatus,
)
from storage.models import (
    Ballot,
    Event,
    Membership,
    Network,
    Poll,
    Rsvp,
    Signal,
    SignalSecond,
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
