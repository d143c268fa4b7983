"""`GET /calendar/...`: networks' calendar feeds and single events' `.ics` files."""

from __future__ import annotations

import re

from bot.services.calendars import CalendarService

CALENDAR_PREFIX = "/calendar/"


def calendar_url(public_url: str | None, token: str, event_id: int | None = None) -> str | None:
    """The address of a network's feed, or of one event's file; None without a public URL."""
    if not public_url:
        return None
    base = f"{public_url.rstrip('/')}{CALENDAR_PREFIX}{token}"
    return f"{base}/{event_id}.ics" if event_id is not None else f"{base}.ics"


# /calendar/<token>.ics is a network's feed; /calendar/<token>/<event id>.ics one event.
CALENDAR_PATH = re.compile(r"^/calendar/([A-Za-z0-9_-]{16,64})(?:/([0-9]{1,12}))?\.ics$")
FEED_CACHE_SECONDS = 300


def _calendar_file(calendars: CalendarService, path: str) -> tuple[bytes | None, str]:
    """The feed or the event file at `path`, and how to offer it; None for any other path."""
    matched = CALENDAR_PATH.match(path)
    if matched is None:
        return None, ""
    token, event_id = matched.groups()
    if event_id is None:
        return calendars.feed(token), 'inline; filename="calendar.ics"'
    return calendars.event_file(
        token, int(event_id)
    ), f'attachment; filename="event-{event_id}.ics"'


def calendar_answer(
    calendars: CalendarService, path: str
) -> tuple[str, list[tuple[str, str]], bytes]:
    """The HTTP answer for a calendar address: the same 404 for every one that is not served."""
    body, disposition = _calendar_file(calendars, path)
    if body is None:
        return "404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"not found\n"
    headers = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Disposition", disposition),
        ("Cache-Control", f"max-age={FEED_CACHE_SECONDS}"),
    ]
    return "200 OK", headers, body
