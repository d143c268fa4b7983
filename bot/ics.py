"""iCalendar files (RFC 5545) with the icalendar library: times in the event's own time zone,
with the VTIMEZONE definitions that calendars need to show them right."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//Verkosto//Verkosto events//EN"


class CalendarEvent(Protocol):
    """What a calendar shows of an event (an `EventCard`, a `PublicEvent`)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def link(self) -> str | None: ...
    @property
    def timezone(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def revision(self) -> int: ...


def _uid(card: CalendarEvent, domain: str) -> str:
    return f"event-{card.id}@{domain}"


def calendar(
    name: str, events: Sequence[CalendarEvent], stamp: datetime, domain: str = "verkosto"
) -> bytes:
    """A calendar with `events`; cancelled ones stay in it as STATUS:CANCELLED, so that
    subscribed calendars take them away."""
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    for card in events:
        feed.add_component(_event(card, stamp, domain))
    if events:
        first = min(card.starts_at for card in events) - timedelta(days=1)
        last = max(card.ends_at for card in events) + timedelta(days=1)
        feed.add_missing_timezones(first_date=first.date(), last_date=last.date())
    return feed.to_ical()


def _event(card: CalendarEvent, stamp: datetime, domain: str) -> Event:
    zone = ZoneInfo(card.timezone)
    event = Event()
    event.add("uid", _uid(card, domain))
    event.add("dtstamp", stamp)
    event.add("dtstart", card.starts_at.astimezone(zone))
    event.add("dtend", card.ends_at.astimezone(zone))
    event.add("summary", card.title)
    if card.description:
        event.add("description", card.description)
    location = ", ".join(part for part in (card.place, card.link) if part)
    if location:
        event.add("location", location)
    if card.link:
        event.add("url", card.link)
    event.add("status", "CANCELLED" if card.cancelled else "CONFIRMED")
    # Each edit counts up, so that calendars replace the copy they have.
    event.add("sequence", card.revision - 1)
    return event
