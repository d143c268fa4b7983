"""When a repeating event happens again: local wall-clock times, so that a 10:00 meeting in
Helsinki stays at 10:00 on both sides of a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from bot.domain import Repeat

DEFAULT_SPAN = timedelta(days=91)
MAX_SPAN = timedelta(days=366)
MAX_OCCURRENCES = 53


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in a zone as UTC. A time skipped by a daylight-saving change moves on
    to the same wall-clock time after the change (02:30 on the spring-forward night is 03:30)."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at, tzinfo=tz)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        as_utc = (local + timedelta(hours=1)).astimezone(UTC)
    return as_utc


def _monthly_weekday(day: date) -> weekday:
    """The same weekday of the month: the second Tuesday; a date in the last seven days of its
    month is "the last Tuesday", so that it exists in every month."""
    following_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    is_last = day + timedelta(days=7) >= following_month
    position = -1 if is_last else (day.day - 1) // 7 + 1
    return weekday(day.weekday(), position)


def occurrence_days(first: date, repeat: Repeat, until: date | None) -> list[date]:
    """The days of every occurrence from `first`, at most until `until` (a default span when
    none is given, never more than a year or `MAX_OCCURRENCES`)."""
    if repeat is Repeat.NONE:
        return [first]
    last = min(until or first + DEFAULT_SPAN, first + MAX_SPAN)
    start = datetime.combine(first, time())
    end = datetime.combine(last, time())
    if repeat is Repeat.MONTHLY:
        rule = rrule(MONTHLY, dtstart=start, until=end, byweekday=_monthly_weekday(first))
    else:
        interval = 2 if repeat is Repeat.BIWEEKLY else 1
        rule = rrule(WEEKLY, dtstart=start, until=end, interval=interval)
    return [moment.date() for moment in rule][:MAX_OCCURRENCES]
