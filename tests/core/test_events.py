"""Events in the core: the announcement and its updates in place, answers with a waitlist and
a promotion, a reminder sent by the worker, a cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import worker
from bot.clock import FrozenClock
from bot.domain import Answer, Attendance, MessageKind
from bot.outbox_composer import How, Reminder
from bot.results.events import EventCard
from bot.services.outbox import RetryLater
from tests.core.platform import Scene
from tests.core.scenarios import (
    CHANNEL,
    COORDINATOR,
    MEMBER,
    NEWCOMER,
    OUTSIDER,
    announce,
    event_values,
    open_network_id,
)


def rsvp(scene: Scene, person_id: str, event_id: int, answer: Answer = Answer.GOING):
    return scene.done(
        person_id, lambda actor, t: scene.services.events.answer(actor, event_id, answer)
    )


def test_an_event_is_announced_in_the_networks_conversation(scene: Scene) -> None:
    saved = announce(scene)
    scene.send()

    (announcement,) = scene.platform.of_kind(MessageKind.ANNOUNCEMENT)
    assert announcement.recipient == CHANNEL
    assert announcement.how is How.POST
    assert isinstance(announcement.content, EventCard)
    assert announcement.content.id == saved.event.id
    assert announcement.content.title == "Foresight morning"


def test_an_answer_updates_the_announcement_in_place_with_the_count(scene: Scene) -> None:
    saved = announce(scene)
    scene.send()
    (announcement,) = scene.platform.of_kind(MessageKind.ANNOUNCEMENT)

    rsvp(scene, MEMBER, saved.event.id)
    scene.send()

    (refresh,) = scene.platform.of_kind(MessageKind.ANNOUNCEMENT_REFRESH)
    assert refresh.how is How.UPDATE
    assert refresh.at == announcement.placed
    assert refresh.content.going_count == 1


def test_an_update_waits_while_the_announcement_has_not_gone(scene: Scene) -> None:
    saved = announce(scene)
    answered = rsvp(scene, MEMBER, saved.event.id)

    (refresh,) = scene.services.outbox.claim(1, ids=answered.queued)
    with pytest.raises(RetryLater) as waiting:
        scene.courier.deliver(refresh)

    assert waiting.value.reason == "message_not_sent_yet"


def test_a_full_event_puts_the_next_person_on_the_waitlist(scene: Scene) -> None:
    saved = announce(scene, capacity=1)

    first = rsvp(scene, MEMBER, saved.event.id)
    second = rsvp(scene, OUTSIDER, saved.event.id)

    assert first.attendance is Attendance.GOING
    assert second.attendance is Attendance.WAITLISTED
    assert second.waitlist_place == 1


def test_a_seat_given_up_goes_to_the_first_waiting_who_is_told(scene: Scene) -> None:
    saved = announce(scene, capacity=1)
    rsvp(scene, MEMBER, saved.event.id)
    rsvp(scene, OUTSIDER, saved.event.id)
    rsvp(scene, NEWCOMER, saved.event.id)
    scene.send()

    rsvp(scene, MEMBER, saved.event.id, Answer.NOT_GOING)
    scene.send()

    (promotion,) = scene.platform.of_kind(MessageKind.PROMOTION)
    assert promotion.recipient == OUTSIDER
    assert promotion.content.id == saved.event.id
    assert scene.platform.of_kind(MessageKind.ANNOUNCEMENT_REFRESH)[-1].content.going_count == 1


def test_the_worker_sends_a_reminder_a_day_before_in_the_persons_language(
    scene: Scene, clock: FrozenClock
) -> None:
    saved = announce(scene)
    rsvp(scene, OUTSIDER, saved.event.id)
    scene.done(OUTSIDER, lambda actor, t: scene.services.people.set_language(actor, "sv"))
    worker.configure(scene.services, scene.served())
    worker.run_due()
    assert scene.platform.of_kind(MessageKind.REMINDER) == []

    clock.advance(saved.event.starts_at - timedelta(days=1) - clock.now())
    worker.run_due()

    (reminder,) = scene.platform.of_kind(MessageKind.REMINDER)
    assert reminder.recipient == OUTSIDER
    assert reminder.language == "sv"
    assert isinstance(reminder.content, Reminder)
    assert reminder.content.minutes_before == 1440
    assert reminder.content.card.id == saved.event.id


def test_cancelling_tells_those_going_and_marks_the_announcement(scene: Scene) -> None:
    saved = announce(scene)
    rsvp(scene, MEMBER, saved.event.id)
    scene.send()

    scene.done(COORDINATOR, lambda actor, t: scene.services.events.cancel(actor, saved.event.id))
    scene.send()

    (notice,) = scene.platform.of_kind(MessageKind.EVENT_CANCELLED)
    assert notice.recipient == MEMBER
    assert scene.platform.of_kind(MessageKind.ANNOUNCEMENT_REFRESH)[-1].content.cancelled


def test_a_member_without_the_right_may_not_announce(scene: Scene) -> None:
    network_id = open_network_id(scene)
    outcome = scene.act(
        OUTSIDER,
        lambda actor, t: scene.services.events.create(actor, network_id, "c", event_values()),
    )

    assert outcome.error is not None and outcome.error.key == "error.forbidden.announce"
    scene.send()
    assert scene.platform.delivered == []
