"""Digest periods: when each digest is due, and which span of time it covers.

Digests are due at 9:00 wall-clock time in a time zone, so that a daylight-saving change moves
them in UTC and not on people's clocks. Networks choose weekly (every Monday), every two weeks
(every other Monday, counted from a fixed Monday so that every process agrees) or monthly (the
first Monday of the month); people choose daily or weekly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import DigestFrequency, DigestSchedule

DUE_AT = time(9, 0)
# Two-weekly digests fall on the Mondays an even number of weeks from this one.
FIRST_MONDAY = date(2024, 1, 1)


@dataclass(frozen=True)
class Period:
    """From `start` (included) to `end` (excluded), in UTC; `end` is when the digest is due."""

    start: datetime
    end: datetime


def _at_nine(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, DUE_AT, tzinfo=zone).astimezone(UTC)


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _month_before(day: date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def _due_days(kind: DigestSchedule | DigestFrequency, today: date) -> tuple[date, date]:
    """The last day on or before `today` a digest of this kind falls on, and the one before it."""
    if kind is DigestFrequency.DAILY:
        return today, today - timedelta(days=1)
    monday = _monday_of(today)
    if kind is DigestSchedule.BIWEEKLY:
        if (monday - FIRST_MONDAY).days // 7 % 2:
            monday -= timedelta(weeks=1)
        return monday, monday - timedelta(weeks=2)
    if kind is DigestSchedule.MONTHLY:
        first = _first_monday(today.year, today.month)
        if first > today:
            first = _first_monday(*_month_before(today))
        return first, _first_monday(*_month_before(first))
    return monday, monday - timedelta(weeks=1)


def latest_period(
    kind: DigestSchedule | DigestFrequency, now: datetime, timezone: str
) -> Period | None:
    """The most recent period whose digest is due at or before `now`; None for "off"/"never"."""
    if kind in (DigestSchedule.OFF, DigestFrequency.NEVER):
        return None
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    due, before = _due_days(kind, today)
    if _at_nine(due, zone) > now:
        # Today is a due day, but not yet 9:00: the latest digest was the one before.
        due, before = _due_days(kind, due - timedelta(days=1))
    return Period(_at_nine(before, zone), _at_nine(due, zone))


def current_period(kind: DigestSchedule | DigestFrequency, now: datetime, timezone: str) -> Period:
    """The period running now, up to `now`: what the next digest would hold if sent at once.
    For "off" and "never", the last week."""
    latest = latest_period(kind, now, timezone)
    return Period(latest.end if latest else now - timedelta(weeks=1), now)
