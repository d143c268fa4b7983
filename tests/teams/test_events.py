"""Events in Teams: announced from a dialog into the network's channel, answered with the
announcement's buttons (updated in place for everyone), a waitlist of one, a reminder sent by
the worker once, and Bot Connector failing for a moment in the middle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot import worker
from bot.clock import FrozenClock
from bot.domain import Platform
from bot.platforms import ServedPlatforms
from handlers.teams.standin.cards import card_of, displayed
from handlers.teams.standin.connector import DROP, SEND, UPDATE
from tests.teams.conftest import FORESIGHT, NETWORK_CHANNEL, Teams


def announce(
    teams: Teams, capacity: str = "", before_saving: Callable[[], None] = lambda: None
) -> None:
    """Aino announces a morning ten days from now in the foresight network."""
    chat = teams.chat(teams.aino)
    teams.driver.message(teams.aino, f"network event {FORESIGHT}")
    opened = teams.driver.open_dialog(teams.aino, chat, "Uusi tapahtuma").json()
    before_saving()
    answer = teams.driver.submit_dialog(
        teams.aino,
        chat,
        opened,
        title="Ennakointiaamu <at>Kaikki</at>",
        start_date="2026-12-10",
        start_time="09:00",
        end_time="11:00",
        capacity=capacity,
    ).json()
    assert answer == {"task": {"type": "message", "value": ""}}, answer


def announcement(teams: Teams) -> str:
    [posted] = teams.connector.sent_to(NETWORK_CHANNEL)
    return displayed(card_of(posted))


def test_an_event_is_announced_from_a_dialog_in_the_networks_channel(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory

    announce(teams)

    shown = announcement(teams)
    assert shown.startswith("Ennakointiaamu <at>Kaikki</at>")
    assert "[Going]" in shown and "[Maybe]" in shown and "[Not going]" in shown
    assert "tulee verkoston kanavalle" in teams.last_shown(teams.aino)


def test_a_mistake_in_the_event_form_is_shown_under_its_field(tenant_directory: Teams) -> None:
    teams = tenant_directory
    chat = teams.chat(teams.aino)
    teams.driver.message(teams.aino, f"network event {FORESIGHT}")
    opened = teams.driver.open_dialog(teams.aino, chat, "Uusi tapahtuma").json()

    again = teams.driver.submit_dialog(
        teams.aino,
        chat,
        opened,
        title="Aamu",
        start_date="2026-11-01",
        start_time="09:00",
        end_time="08:00",
        rsvp_deadline_date="2026-13-40",
        rsvp_deadline_time="10:00",
    ).json()

    assert set(_mistakes(again)) == {"rsvp_deadline_date"}
    fixed = teams.driver.submit_dialog(
        teams.aino, chat, again, rsvp_deadline_date="2026-10-31", rsvp_deadline_time="10:00"
    ).json()
    mistakes = _mistakes(fixed)
    assert mistakes["start_date"] == "Alkuaika on jo mennyt."
    assert "end_time" in mistakes
    assert teams.connector.sent_to(NETWORK_CHANNEL) == []


def _mistakes(answer: dict) -> dict[str, str]:
    """Each field with the words shown under it."""
    body = answer["task"]["value"]["card"]["content"]["body"]
    return {
        body[i - 1]["id"]: "".join(run["text"] for run in body[i]["inlines"])
        for i in range(1, len(body))
        if body[i]["type"] == "RichTextBlock" and "id" in body[i - 1]
    }


def test_answers_update_the_announcement_for_everyone_and_the_waitlist_moves_up(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    for person in (teams.mikko, teams.sara):
        teams.driver.message(person, f"network join {FORESIGHT}")
    announce(teams, capacity="1")

    going = teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Going").json()

    assert going["type"] == "application/vnd.microsoft.card.adaptive"
    mine = displayed(going["value"])
    assert "1/1 going" in mine and "Going: Mikko Korhonen" in mine
    # Only Mikko's copy says where he stands, in his own language.
    assert mine.endswith(
        "Olet tulossa tapahtumaan Ennakointiaamu <at>Kaikki</at>. Muistutan sinua ennen alkua."
    )
    for_everyone = announcement(teams)
    assert "Going: Mikko Korhonen" in for_everyone
    assert "[Join the waitlist]" in for_everyone
    assert [call.status for call in teams.connector.calls_to(UPDATE)] == [200]

    waiting = teams.driver.press(teams.sara, NETWORK_CHANNEL, "Join the waitlist").json()
    assert displayed(waiting["value"]).endswith(
        "så du står i kö som nummer 1. Jag säger till om en plats blir ledig."
    )
    assert "1 on the waitlist" in announcement(teams)

    teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Not going")

    assert "Going: Sara Lindqvist" in announcement(teams)
    assert "Ennakointiaamu" in teams.last_shown(teams.sara)


def test_a_lost_answer_from_bot_connector_loses_nothing_and_the_update_finds_its_post(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    """Bot Connector cannot list what a bot has sent, so a post whose answer was lost is sent
    again (docs/teams.md): the channel may see it twice, never not at all; updates go to the
    copy the outbox knows, and a lost answer to an update is simply tried again."""
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")

    announce(teams, before_saving=lambda: teams.connector.fail(SEND, lost=DROP))
    served = ServedPlatforms.one(Platform.TEAMS, teams.runtime.courier.deliver)
    worker.configure(teams.services, served)
    clock.advance(timedelta(minutes=1))
    worker.send_outbox()

    posts = teams.connector.sent_to(NETWORK_CHANNEL)
    assert len(posts) == 2
    teams.connector.fail(UPDATE, lost=DROP)
    teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Going")
    clock.advance(timedelta(minutes=1))
    worker.send_outbox()

    [first, second] = [displayed(card_of(m)) for m in teams.connector.sent_to(NETWORK_CHANNEL)]
    assert "Going: Mikko Korhonen" not in first and "Going: Mikko Korhonen" in second
    assert [c.status for c in teams.connector.calls_to(UPDATE)] == [200, 200]


def test_the_worker_sends_a_reminder_once(tenant_directory: Teams, clock: FrozenClock) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    announce(teams)
    teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Going")
    before = len(teams.shown(teams.mikko))
    served = ServedPlatforms.one(Platform.TEAMS, teams.runtime.courier.deliver)
    worker.configure(teams.services, served)

    clock.advance(timedelta(days=9, hours=1))
    worker.run_due()
    worker.run_due()

    reminders = teams.shown(teams.mikko)[before:]
    assert len(reminders) == 1
    assert "Ennakointiaamu <at>Kaikki</at>" in reminders[0]
    assert "[En pääsekään]" in reminders[0]


def test_bot_connector_failing_during_an_announcement_loses_and_doubles_nothing(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")

    def fail_twice() -> None:
        teams.connector.fail(SEND, status=503)

    announce(teams, before_saving=fail_twice)
    assert teams.connector.sent_to(NETWORK_CHANNEL) == []
    assert "tulee verkoston kanavalle" in teams.last_shown(teams.aino)
    teams.connector.fail(SEND, status=429, retry_after=20)

    served = ServedPlatforms.one(Platform.TEAMS, teams.runtime.courier.deliver)
    worker.configure(teams.services, served)
    for _ in range(4):
        clock.advance(timedelta(minutes=1))
        worker.send_outbox()

    assert len(teams.connector.sent_to(NETWORK_CHANNEL)) == 1
    teams.connector.fail(UPDATE, status=429, retry_after=5)
    teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Going")
    assert "Going: Mikko Korhonen" not in announcement(teams)
    clock.advance(timedelta(seconds=10))
    worker.send_outbox()

    assert "Going: Mikko Korhonen" in announcement(teams)
    assert len(teams.connector.sent_to(NETWORK_CHANNEL)) == 1
    sends = [c.status for c in teams.connector.calls_to(SEND, NETWORK_CHANNEL)]
    assert sends == [503, 429, 201]
