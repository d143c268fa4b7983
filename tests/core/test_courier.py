"""The core's courier, on any platform's port: a message whose sending was interrupted after it
reached the platform is found there and not sent twice, and later changes update that one
message."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FrozenClock
from bot.domain import Delivery, MessageKind
from bot.outbox_composer import How
from tests.core.platform import Scene
from tests.core.scenarios import CHANNEL, COORDINATOR, MEMBER, OPEN_NETWORK


def test_a_poll_whose_answer_was_lost_is_found_and_not_posted_twice(
    scene: Scene, clock: FrozenClock
) -> None:
    saved = scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.polls.create(
            actor, CHANNEL, {"question": "Lunch?", "options": ("Yes", "No")}, name=OPEN_NETWORK
        ),
    )
    scene.platform.lose_next_answer = True

    first = scene.send()
    assert first.postponed == 1 and first.sent == 0
    (posted,) = scene.platform.of_kind(MessageKind.POLL)

    clock.advance(timedelta(minutes=1))
    again = scene.send()

    assert again.sent == 1
    assert scene.platform.of_kind(MessageKind.POLL) == [posted], "posted once"
    state, sent = scene.services.outbox.delivery_of(posted.key or "")
    assert state is Delivery.SENT and sent == posted.placed

    option_id = saved.poll.options[0].id
    scene.done(MEMBER, lambda actor, t: scene.services.polls.vote(actor, saved.poll.id, option_id))
    scene.send()
    (refresh,) = scene.platform.of_kind(MessageKind.POLL_REFRESH)
    assert refresh.how is How.UPDATE and refresh.placed == posted.placed
