"""Digests, driven by the tests' clock: a week of activity makes the channel digest and a
personal digest for those who were away; an empty period sends nothing; the schedule keeps to
9:00 across a daylight-saving change; no digest twice; the opt-out button; the preview."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import DigestFrequency, DigestSchedule, MessageKind
from bot.periods import Period, latest_period
from bot.services import Services
from bot.settings import Settings
from handlers.slack.standin.server import Call
from storage.models import Digest, OutboxMessage, Person
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    buttons_of,
    is_digest,
    network,
    snapshot,
    text_of,
)
from tests.test_events import announce, click, day, event_id, text

# The clock starts on Monday 30 November 2026 at 10:00 in Helsinki (08:00 UTC).
WEEK_1_DIGEST = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 7 December, 9:00 in Helsinki
WEEK_2_DIGEST = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# Periods -------------------------------------------------------------------------------------


def test_weekly_digests_are_due_on_mondays_at_nine_on_helsinki_clocks_across_summer_time() -> None:
    zone = "Europe/Helsinki"
    # Summer time starts on Sunday 28 March 2027: 9:00 is 07:00 UTC before, 06:00 UTC after.
    before = latest_period(DigestSchedule.WEEKLY, utc(2027, 3, 28, 12, 0), zone)
    assert before == Period(utc(2027, 3, 15, 7, 0), utc(2027, 3, 22, 7, 0))
    not_yet = latest_period(DigestSchedule.WEEKLY, utc(2027, 3, 29, 5, 59), zone)
    assert not_yet == before
    after = latest_period(DigestSchedule.WEEKLY, utc(2027, 3, 29, 6, 0), zone)
    assert after == Period(utc(2027, 3, 22, 7, 0), utc(2027, 3, 29, 6, 0))
    # And back in October: 06:00 UTC before, 07:00 UTC after.
    autumn = latest_period(DigestSchedule.WEEKLY, utc(2027, 11, 1, 7, 0), zone)
    assert autumn == Period(utc(2027, 10, 25, 6, 0), utc(2027, 11, 1, 7, 0))


def test_two_weekly_monthly_and_daily_periods() -> None:
    zone = "Europe/Helsinki"
    now = utc(2026, 12, 16, 12, 0)  # a Wednesday
    biweekly = latest_period(DigestSchedule.BIWEEKLY, now, zone)
    assert biweekly is not None and biweekly.end - biweekly.start == timedelta(weeks=2)
    assert biweekly.end.astimezone(ZoneInfo(zone)).weekday() == 0
    monthly = latest_period(DigestSchedule.MONTHLY, now, zone)
    assert monthly == Period(utc(2026, 11, 2, 7, 0), utc(2026, 12, 7, 7, 0))
    daily = latest_period(DigestFrequency.DAILY, now, zone)
    assert daily == Period(utc(2026, 12, 15, 7, 0), utc(2026, 12, 16, 7, 0))
    assert latest_period(DigestSchedule.OFF, now, zone) is None
    assert latest_period(DigestFrequency.NEVER, now, zone) is None


# A week of activity --------------------------------------------------------------------------


def digests(services: Services) -> list[tuple[str, int, bool]]:
    with services.db.snapshot() as store:
        rows = store.session.scalars(select(Digest).order_by(Digest.id))
        return [(row.subject.value, row.subject_id, row.queued) for row in rows]


def digest_posts(exchange: Exchange) -> list[Call]:
    return [call for call in exchange.to("chat.postMessage") if is_digest(call)]


def a_week_of_activity(slack: Slack, clock: FrozenClock) -> None:
    """Within one week: two join, an event is announced and answered, a poll is asked and
    another closes with votes, and a signal gets a +1."""
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    slack.command(ADMIN, f"join {FORESIGHT}")
    clock.advance(timedelta(days=1))
    _, posted = announce(slack, start_date=day("2026-12-10"))
    for person in (MEMBER, ADMIN):
        click(slack, person, "going", event_id(posted))
    click(slack, OUTSIDER, "maybe", event_id(posted))
    slack.command(COORDINATOR, f'poll {FORESIGHT} "Where do we meet in spring?" "Oulu" "Turku"')
    closing = slack.command(
        COORDINATOR, f'poll {FORESIGHT} "Next theme?" "Water" "Energy" --closes 1d'
    )
    [poll] = closing.to("chat.postMessage")
    for person in (MEMBER, ADMIN):
        water = next(b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote"))
        slack.click(person, water["action_id"], water["value"], channel_id=LINKED)
    signal = slack.command(MEMBER, f"signal {FORESIGHT} Rural libraries lend out VR headsets")
    [post] = signal.to("chat.postMessage")
    [plus_one] = buttons_of(post)
    slack.click(COORDINATOR, plus_one["action_id"], plus_one["value"], channel_id=LINKED)
    clock.advance(timedelta(days=2))
    slack.worker()  # the poll closes


def test_a_week_of_activity_makes_the_channel_digest(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    a_week_of_activity(slack, clock)
    clock.advance(WEEK_1_DIGEST - timedelta(minutes=1) - clock.now())
    assert digest_posts(slack.worker()) == [], "not before Monday 9:00"
    clock.advance(timedelta(minutes=1))
    sent = slack.worker()
    [digest] = digest_posts(sent)
    assert digest.params["channel"] == LINKED
    body = text_of(digest)
    assert "What happened in *National foresight network*" in body
    # Aino and Mikko joined when the directory was set up, that same Monday.
    assert (
        "*4 new members:* Aino Virtanen, Mikko Korhonen, Sara Lindqvist, and Olli Mäkinen." in body
    )
    assert "*Coming up in the next two weeks*" in body
    assert "*Foresight morning*" in body and "2 going, 1 maybe" in body
    assert "*Where do we meet in spring?* · 0 have answered" in body
    assert "*Polls that closed*" in body and "Water with 2 of 2 voters" in body
    assert "*1 new weak signal*" in body and "Rural libraries lend out VR headsets (+1)" in body
    assert "*Networks worth knowing*" in body and "Foresight pilot group" in body
    assert any(subject == "network" and queued for subject, _, queued in digests(directory))
    # No personal digest: everyone was seen after the period began.
    assert [c for c in digest_posts(sent) if c.params["channel"].startswith("U")] == []


def test_a_period_with_nothing_to_say_sends_nothing(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    clock.advance(WEEK_1_DIGEST - clock.now())
    slack.worker()
    clock.advance(timedelta(weeks=1))
    quiet = slack.worker()
    assert digest_posts(quiet) == []
    *_, week_1, week_2 = [d for d in digests(directory) if d[0] == "network"]
    assert week_1[2] is True, "the directory was set up that week"
    assert week_2[2] is False, "the quiet week is decided, and nothing queued"


def test_someone_who_was_away_gets_a_personal_digest_and_can_stop_it(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    a_week_of_activity(slack, clock)
    # Olli answers a poll that closes in the second week.
    asked = slack.command(
        COORDINATOR, f'poll {FORESIGHT} "Shall we meet in January?" "Yes" "No" --closes 5d'
    )
    [poll] = asked.to("chat.postMessage")
    yes = next(b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote"))
    slack.click(ADMIN, yes["action_id"], yes["value"], channel_id=LINKED)
    # And says they are going to an event in the third week.
    _, clinic = announce(slack, title=text("Futures clinic"), start_date=day("2026-12-17"))
    click(slack, ADMIN, "going", event_id(clinic))
    clock.advance(WEEK_1_DIGEST - clock.now())
    slack.worker()
    # The second week: Olli (who joined, answered and voted) is away; the others are not.
    slack.command(COORDINATOR, f'poll {FORESIGHT} "A summer school?" "Yes" "No"')
    slack.command(MEMBER, f"signal {FORESIGHT} Ministries test four-day weeks")
    slack.command(OUTSIDER, "mine")
    clock.advance(timedelta(days=2))
    slack.worker()  # the January poll closes
    clock.advance(WEEK_2_DIGEST - clock.now())
    sent = slack.worker()
    personal = [c for c in digest_posts(sent) if not c.params["channel"].startswith("C")]
    assert [c.params["channel"] for c in personal] == [ADMIN]
    body = text_of(personal[0])
    assert "While you were away" in body
    assert "*Polls waiting for your answer*" in body and "A summer school?" in body
    assert "Where do we meet in spring?" in body
    assert "*Results of polls you answered*" in body
    assert (
        "*Shall we meet in January?* · National foresight network · Yes with 1 of 1 voter" in body
    )
    assert "*In your networks*" in body and "1 weak signal" in body
    assert "*Events you are going to*" in body and "*Futures clinic* · Thu, Dec 17" in body

    [stop] = [b for b in buttons_of(personal[0]) if b["action_id"] == "digest.off"]
    answer = slack.click(ADMIN, stop["action_id"], stop["value"], channel_id=f"D{ADMIN[1:]}")
    assert "your own digest comes never" in answer.text
    with directory.db.snapshot() as store:
        olli = store.session.scalar(select(Person).where(Person.user_id == ADMIN))
        assert olli is not None and olli.digest_frequency is DigestFrequency.NEVER
    clock.advance(timedelta(weeks=1, hours=1))
    slack.command(COORDINATOR, f'poll {FORESIGHT} "And February?" "Yes" "No"')
    clock.advance(timedelta(weeks=1))
    later = slack.worker()
    assert [c for c in digest_posts(later) if c.params["channel"] == ADMIN] == []


def test_a_digest_goes_once_however_many_workers_and_restarts(
    slack: Slack,
    directory: Services,
    clock: FrozenClock,
    settings: Settings,
) -> None:
    a_week_of_activity(slack, clock)
    clock.advance(WEEK_1_DIGEST - clock.now())
    # Two workers decide at once, each with its own services (as two processes would).
    others = [Services.build(settings, directory.db, clock) for _ in range(2)]
    barrier = threading.Barrier(2)

    def decide(services: Services) -> None:
        barrier.wait()
        services.digests.queue_due()

    threads = [threading.Thread(target=decide, args=(s,)) for s in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with directory.db.snapshot() as store:
        queued = store.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CHANNEL_DIGEST)
        ).all()
    assert len(queued) == 1
    # A restarted worker (new services, nothing in memory) sends it; running again sends none.
    restarted = Services.build(settings, directory.db, clock)
    slack.services = restarted
    assert len(digest_posts(slack.worker())) == 1
    assert digest_posts(slack.worker()) == []
    assert [d for d in digests(directory) if d[0] == "network" and d[2]] == [
        ("network", queued[0].payload["subject_id"], True)
    ]


def test_the_preview_shows_the_next_digest_to_coordinators_only_and_sends_nothing(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    clock.advance(timedelta(minutes=5))
    before = snapshot(directory)
    preview = slack.command(COORDINATOR, f"digest {FORESIGHT}")
    assert "This is the next digest of *National foresight network*" in preview.text
    assert "weekly, on Mondays at 9:00" in preview.text
    assert "Sara Lindqvist" in preview.text and "Welcome!" in preview.text
    assert preview.to("chat.postMessage") == []
    refused = slack.command(MEMBER, f"digest {FORESIGHT}")
    assert "Only the coordinators of *National foresight network*" in refused.text
    assert snapshot(directory) == before


def test_coordinators_set_the_schedule_and_people_their_frequency(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    done = slack.command(COORDINATOR, f"settings digest {FORESIGHT} monthly")
    assert "gets its digest monthly, on the first Monday at 9:00" in done.text
    refused = slack.command(MEMBER, f"asetukset kooste {FORESIGHT} pois")
    assert "Only the coordinators of *National foresight network*" in refused.text
    mine = slack.command(MEMBER, "settings digest daily")
    assert "your own digest comes daily, at 9:00" in mine.text
    shown = slack.command(MEMBER, "settings")
    assert "your own digest of what you missed comes daily, at 9:00" in shown.text
    before = snapshot(directory)
    for typed, expected in (
        ("settings digest monthly", "daily, weekly or never"),
        (f"settings digest {FORESIGHT} daily", "weekly, biweekly, monthly or off"),
        ("settings digest", "Usage"),
    ):
        assert expected in slack.command(MEMBER, typed).text, typed
    assert snapshot(directory) == before
    foresight = network(directory, FORESIGHT)
    assert foresight is not None and foresight.digest_schedule is DigestSchedule.MONTHLY


def test_a_network_with_the_digest_off_gets_none(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    slack.command(COORDINATOR, f"settings digest {FORESIGHT} off")
    a_week_of_activity(slack, clock)
    clock.advance(WEEK_1_DIGEST - clock.now())
    assert digest_posts(slack.worker()) == []
