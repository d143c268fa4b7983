"""Events over time: reminders to the people going (once each, never late, the one closest to the
start after a pause, and "I cannot come" from the reminder), and repeating events across daylight
saving, each occurrence with its own answers. Driven through signed requests and the worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import Attendance
from bot.services import Services
from storage.models import Event
from tests.support import COORDINATOR, LINKED, MEMBER, OUTSIDER, Slack, buttons_of, text_of
from tests.test_events import (
    announce,
    answers,
    at,
    capacity,
    choice,
    click,
    day,
    direct_messages,
    event_id,
    text_of_view,
)

ZONE = ZoneInfo("Europe/Helsinki")

# Reminders -----------------------------------------------------------------------------------


def test_reminders_go_to_the_people_going_once_each(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    event = event_id(posted)
    click(slack, MEMBER, "going", event)
    click(slack, COORDINATOR, "going", event)
    click(slack, OUTSIDER, "maybe", event)
    slack.command(COORDINATOR, "settings reminders off")
    starts = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)

    assert slack.worker().posted() == [], "nothing is due yet"
    clock.advance(starts - timedelta(days=1) - clock.now())
    day_before = slack.worker()
    [reminder] = direct_messages(day_before, MEMBER)
    assert "Reminder: *Foresight morning* is tomorrow." in reminder
    assert len(day_before.posted()) == 1, "not to Aino (off), not to Sara (maybe)"
    assert slack.worker().posted() == [], "each reminder is sent once"

    clock.advance(timedelta(hours=23))
    hour_before = slack.worker()
    [reminder] = direct_messages(hour_before, MEMBER)
    assert "starts in an hour" in reminder
    clock.advance(timedelta(minutes=30))
    assert slack.worker().posted() == []


def test_a_reminder_whose_time_passed_before_the_event_was_made_is_not_sent_late(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    # Created at 10:00 for 13:00 the same day: "a day before" has passed already.
    _, posted = announce(
        slack, start_date=day("2026-11-30"), start_time=at("13:00"), end_time=at("14:00")
    )
    click(slack, MEMBER, "going", event_id(posted))
    assert slack.worker().posted() == []
    clock.advance(timedelta(hours=2, minutes=1))
    [reminder] = direct_messages(slack.worker(), MEMBER)
    assert "starts in an hour" in reminder
    clock.advance(timedelta(hours=1))
    assert slack.worker().posted() == []


def test_a_worker_back_from_a_pause_sends_only_the_reminder_closest_to_the_start(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    click(slack, MEMBER, "going", event_id(posted))
    # Away from the day before until half an hour before the start.
    clock.advance(datetime(2026, 12, 10, 7, 30, tzinfo=UTC) - clock.now())
    [reminder] = direct_messages(slack.worker(), MEMBER)
    assert "starts in an hour" in reminder and "tomorrow" not in reminder


def test_i_cannot_come_in_a_reminder_gives_the_seat_to_the_next_in_line(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    _, posted = announce(slack, **capacity(1))
    event = event_id(posted)
    click(slack, MEMBER, "going", event)
    click(slack, OUTSIDER, "going", event)
    clock.advance(datetime(2026, 12, 9, 8, 0, tzinfo=UTC) - clock.now())
    [reminder] = slack.worker().posted()
    [cannot] = [b for b in buttons_of(reminder) if b["action_id"] == "event.not_going"]
    answer = slack.click(MEMBER, "event.not_going", cannot["value"], channel_id="D0MIKKO")
    assert "You are not going to *Foresight morning*" in answer.text
    assert "A seat opened up" in direct_messages(answer, OUTSIDER)[0]


# Repeats -------------------------------------------------------------------------------------


def local_starts(services: Services) -> list[str]:
    with services.db.snapshot() as store:
        events = store.session.scalars(select(Event).order_by(Event.starts_at))
        return [
            e.starts_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M %Z") + f" {e.starts_at:%H:%M}"
            for e in events
        ]


def test_a_weekly_meeting_stays_at_ten_across_daylight_saving_changes(
    slack: Slack, directory: Services
) -> None:
    announce(
        slack,
        start_date=day("2027-03-16"),
        repeat=choice("weekly"),
        repeat_until=day("2027-04-06"),
    )
    # Summer time begins on 28 March 2027: 10:00 in Helsinki is 08:00 UTC, then 07:00 UTC.
    assert local_starts(directory) == [
        "2027-03-16 10:00 EET 08:00",
        "2027-03-23 10:00 EET 08:00",
        "2027-03-30 10:00 EEST 07:00",
        "2027-04-06 10:00 EEST 07:00",
    ]


def test_a_monthly_meeting_keeps_its_weekday_and_its_hour_in_october(
    slack: Slack, directory: Services
) -> None:
    announce(
        slack,
        start_date=day("2027-09-14"),  # the second Tuesday
        repeat=choice("monthly"),
        repeat_until=day("2027-12-31"),
    )
    assert local_starts(directory) == [
        "2027-09-14 10:00 EEST 07:00",
        "2027-10-12 10:00 EEST 07:00",
        "2027-11-09 10:00 EET 08:00",
        "2027-12-14 10:00 EET 08:00",
    ]


def test_each_occurrence_keeps_its_own_answers_and_is_announced_in_turn(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    submitted, posted = announce(
        slack,
        start_date=day("2026-12-03"),
        repeat=choice("weekly"),
        repeat_until=day("2026-12-17"),
    )
    assert "It repeats: 3 occurrences" in text_of_view(submitted.response.json()["view"])
    first = event_id(posted)
    click(slack, MEMBER, "going", first)
    clock.advance(datetime(2026, 12, 3, 10, 0, tzinfo=UTC) - clock.now())
    then = slack.worker()
    [second] = [c for c in then.to("chat.postMessage") if c.params["channel"] == LINKED]
    assert "Thu, Dec 10, 2026, 10:00\u2009–\u200912:00" in text_of(second)
    assert direct_messages(then, MEMBER), "and Mikko, who went, is asked how it was"
    assert "0 going" in text_of(second)
    click(slack, OUTSIDER, "going", event_id(second))
    assert answers(directory, first) == {MEMBER: Attendance.GOING}
    assert answers(directory, event_id(second)) == {OUTSIDER: Attendance.GOING}
