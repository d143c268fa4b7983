"""Calendar feeds and event files, served by `verkosto serve` and read back with icalendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.services import Services
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.slack.app import build_app
from handlers.slack.server import wsgi_app
from tests.conftest import PUBLIC_URL
from tests.support import COORDINATOR, FORESIGHT, Slack, buttons_of, network
from tests.test_events import announce, click, day, event_id

HELSINKI = ZoneInfo("Europe/Helsinki")


def get(settings: Settings, services: Services, path: str) -> tuple[str, dict[str, str], bytes]:
    """A GET through the WSGI application that `verkosto serve` runs."""
    app = build_app(settings, services, background=InThisProcess(ImmediateExecutor()))
    application = wsgi_app(app, services.healthy, calendars=services.calendars)
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(headers))

    body = b"".join(application({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response))
    return answer["status"], answer["headers"], body


def feed_path(services: Services) -> str:
    found = network(services, FORESIGHT)
    assert found is not None
    return f"/calendar/{found.calendar_token}.ics"


def test_the_feed_parses_back_with_the_events_zone_and_times(
    slack: Slack, directory: Services, settings: Settings
) -> None:
    announce(slack)
    announce(slack, start_date=day("2027-06-15"))  # summer time
    status, headers, body = get(settings, directory, feed_path(directory))
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "National foresight network"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Helsinki"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    winter, summer = calendar.walk("VEVENT")
    for event, expected in (
        (winter, datetime(2026, 12, 10, 10, 0, tzinfo=HELSINKI)),
        (summer, datetime(2027, 6, 15, 10, 0, tzinfo=HELSINKI)),
    ):
        start = event["DTSTART"]
        assert start.params["TZID"] == "Europe/Helsinki"
        assert start.dt == expected
        assert start.dt.utcoffset() == expected.utcoffset()
        assert str(event["SUMMARY"]) == "Foresight morning"
        assert str(event["STATUS"]) == "CONFIRMED"
    assert winter["DTSTART"].dt.utcoffset().total_seconds() == 2 * 3600
    assert summer["DTSTART"].dt.utcoffset().total_seconds() == 3 * 3600
    assert "Säätytalo" in str(winter["LOCATION"])


def test_a_cancelled_event_stays_in_the_feed_as_cancelled(
    slack: Slack, directory: Services, settings: Settings
) -> None:
    _, posted = announce(slack)
    click(slack, COORDINATOR, "cancel", event_id(posted))
    _, _, body = get(settings, directory, feed_path(directory))
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1, "calendars replace their copy"


def test_add_to_calendar_gives_a_file_with_that_event(
    slack: Slack, directory: Services, settings: Settings
) -> None:
    _, first = announce(slack)
    announce(slack, start_date=day("2026-12-17"))
    button = next(b for b in buttons_of(first) if b["action_id"] == "event.calendar")
    path = button["url"].removeprefix(PUBLIC_URL)
    status, headers, body = get(settings, directory, path)
    assert status == "200 OK"
    assert headers["Content-Disposition"].startswith("attachment")
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 12, 10, 10, 0, tzinfo=HELSINKI)
    assert str(event["UID"]) == f"event-{event_id(first)}@verkosto"


def test_unknown_addresses_tell_nothing(
    slack: Slack, directory: Services, settings: Settings
) -> None:
    _, posted = announce(slack)
    other = network(directory, "hr-juristiverkosto")
    assert other is not None
    for path in (
        "/calendar/not-a-real-token-at-all.ics",
        f"/calendar/{other.calendar_token}/{event_id(posted)}.ics",  # another network's event
        "/calendar/../../etc/passwd.ics",
    ):
        status, _, body = get(settings, directory, path)
        assert status == "404 Not Found", path
        assert b"BEGIN:VCALENDAR" not in body


def test_info_shows_the_feed_to_subscribe_to(slack: Slack, directory: Services) -> None:
    answer = slack.command(COORDINATOR, f"info {FORESIGHT}")
    assert f"Subscribe: <{PUBLIC_URL}{feed_path(directory)}>" in answer.text
