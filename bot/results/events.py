"""Events as their announcements show them, and what saving and answering come to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import (
    Attendance,
    Repeat,
)
from bot.results.refs import NetworkRef, PersonRef


@dataclass(frozen=True)
class EventCard:
    """An event as its announcement shows it: the facts, the answers, and whether one may answer."""

    id: int
    network: NetworkRef
    title: str
    description: str | None
    place: str | None
    link: str | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    rsvp_deadline: datetime | None
    repeat: Repeat
    occurrence: int
    revision: int
    cancelled: bool
    language: str
    going: tuple[PersonRef, ...]
    maybe_count: int
    not_going_count: int
    waitlisted_count: int
    answers_open: bool
    calendar_token: str

    @property
    def going_count(self) -> int:
        return len(self.going)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity


@dataclass(frozen=True)
class EventSaved:
    """What creating or editing did: the first occurrence, how many there are, what changed."""

    event: EventCard
    occurrences: int
    channel_id: str
    created: bool
    changed: tuple[str, ...] = ()
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventAnswer:
    """Where a person stands after answering; `waitlist_place` counts from 1. The event's
    counts are not read again here: the announcement's refresh shows them."""

    event_id: int
    title: str
    attendance: Attendance | None
    waitlist_place: int | None
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventCancelled:
    event: EventCard
    notified: int
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventListing:
    """Upcoming events, of one network or of all of a person's networks."""

    network: NetworkRef | None
    events: tuple[EventCard, ...]
    mine: dict[int, Attendance]
    manageable: frozenset[int] = frozenset()
