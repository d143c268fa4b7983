"""An event as its messages and calendar files show it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain import Attendance, EventStatus
from bot.results.events import EventCard
from bot.services.mapping import network_ref, person_ref
from storage.models import Event, Rsvp
from storage.store import Store


def event_card(store: Store, event: Event, now: datetime) -> EventCard:
    """An event as its messages and calendar files show it at `now`."""
    answers = store.rsvps.of_event(event.id)
    counts = {attendance: 0 for attendance in Attendance}
    for rsvp in answers:
        counts[rsvp.attendance] += 1
    return EventCard(
        id=event.id,
        network=network_ref(event.network),
        title=event.title,
        description=event.description,
        place=event.place,
        link=event.link,
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        rsvp_deadline=event.rsvp_deadline,
        repeat=event.repeat,
        occurrence=event.occurrence,
        revision=event.revision,
        cancelled=event.status is EventStatus.CANCELLED,
        language=event.language,
        going=tuple(person_ref(r.person) for r in _with(answers, Attendance.GOING)),
        maybe_count=counts[Attendance.MAYBE],
        not_going_count=counts[Attendance.NOT_GOING],
        waitlisted_count=counts[Attendance.WAITLISTED],
        answers_open=answers_open(event, now),
        calendar_token=event.network.calendar_token,
    )


def _with(answers: Iterable[Rsvp], attendance: Attendance) -> list[Rsvp]:
    return [rsvp for rsvp in answers if rsvp.attendance is attendance]


def answers_open(event: Event, now: datetime) -> bool:
    """Whether people may still answer the event at `now`."""
    if event.status is EventStatus.CANCELLED or now >= event.starts_at:
        return False
    return event.rsvp_deadline is None or now < event.rsvp_deadline
