"""Digests in the core: the worker decides them on Monday at 9:00 and the platform is asked to
post each in the right conversation or chat, composed from the stored data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import worker
from bot.clock import FrozenClock
from bot.domain import DigestSchedule, MessageKind
from bot.results.digests import ChannelDigest, PersonalDigest
from tests.core.platform import Scene
from tests.core.scenarios import CHANNEL, COORDINATOR, MEMBER, OPEN_NETWORK, OUTSIDER, announce

# Mondays at 9:00 in Helsinki.
NEXT_MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def run_worker_at(scene: Scene, clock: FrozenClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())
    worker.configure(scene.services, scene.served())
    worker.run_due()


def test_a_weekly_channel_digest_tells_the_conversation_who_joined(
    scene: Scene, clock: FrozenClock
) -> None:
    scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.digests.set_schedule(
            actor, OPEN_NETWORK, DigestSchedule.WEEKLY
        ),
    )
    scene.done(OUTSIDER, lambda actor, t: scene.services.memberships.join(actor, name=OPEN_NETWORK))

    run_worker_at(scene, clock, NEXT_MONDAY - timedelta(minutes=1))
    assert scene.platform.of_kind(MessageKind.CHANNEL_DIGEST) == []
    run_worker_at(scene, clock, NEXT_MONDAY)

    (digest,) = scene.platform.of_kind(MessageKind.CHANNEL_DIGEST)
    assert digest.recipient == CHANNEL
    assert isinstance(digest.content, ChannelDigest)
    assert digest.content.news.network.slug == OPEN_NETWORK
    # The coordinator and the member were set up this week too.
    joined = {p.user_id for p in digest.content.news.new_members}
    assert joined == {COORDINATOR, MEMBER, OUTSIDER}


def test_someone_away_gets_a_personal_digest_of_what_happened_in_their_network(
    scene: Scene, clock: FrozenClock
) -> None:
    # A week after they were last seen, their network announces an event.
    clock.advance(NEXT_MONDAY + timedelta(days=1) - clock.now())
    announce(scene, start_date=(NEXT_MONDAY + timedelta(days=10)).date())

    run_worker_at(scene, clock, NEXT_MONDAY + timedelta(weeks=1))

    personal = {d.recipient: d for d in scene.platform.of_kind(MessageKind.PERSONAL_DIGEST)}
    assert MEMBER in personal
    assert COORDINATOR not in personal  # they were here
    digest = personal[MEMBER].content
    assert isinstance(digest, PersonalDigest)
    assert [(a.network.slug, a.events) for a in digest.networks] == [(OPEN_NETWORK, 1)]
