"""When Bot Connector says to slow down or fails for a moment: answers are tried again after
`Retry-After`, the outbox keeps what could not go and sends it once later, and Microsoft's
rate limits are kept before Teams has to enforce them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import Delivery, MessageKind
from handlers.teams.limits import RateLimits
from handlers.teams.standin.connector import SEND
from storage.models import OutboxMessage
from tests.teams.conftest import BY_REQUEST, Teams


def test_an_answer_waits_for_retry_after_and_arrives_once(teams: Teams) -> None:
    teams.connector.fail(SEND, status=429, retry_after=2)

    teams.driver.message(teams.mikko, "help")

    assert teams.waits == [2.0]
    assert [call.status for call in teams.connector.calls_to(SEND)] == [429, 201]
    assert len(teams.shown(teams.mikko)) == 1


def test_an_answer_is_not_tried_forever(teams: Teams) -> None:
    teams.connector.fail(SEND, times=5, status=503)

    assert teams.driver.message(teams.mikko, "help").status == 200

    assert [call.status for call in teams.connector.calls_to(SEND)] == [503, 503, 503]
    assert teams.shown(teams.mikko) == []


def _notices(teams: Teams) -> list[OutboxMessage]:
    with teams.services.db.snapshot() as store:
        query = select(OutboxMessage).where(OutboxMessage.kind == MessageKind.JOIN_REQUEST)
        return list(store.session.scalars(query))


def test_a_notice_refused_for_a_moment_is_sent_once_by_the_worker(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    teams = tenant_directory
    teams.connector.fail(SEND, status=429, retry_after=30)

    teams.driver.message(teams.olli, f"network join {BY_REQUEST}")

    # The request notice could not go (429): Olli still hears that the request is on its way.
    assert teams.shown(teams.aino) == []
    assert "on its way" in teams.last_shown(teams.olli)
    [notice] = _notices(teams)
    assert notice.state is Delivery.PENDING

    teams.connector.fail(SEND, status=502)
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        teams.services.outbox.drain(teams.runtime.courier.deliver)

    [notice] = _notices(teams)
    assert notice.state is Delivery.SENT
    shown = teams.shown(teams.aino)
    assert len(shown) == 1 and "Olli Mäkinen" in shown[0]
    assert [call.status for call in teams.connector.calls_to(SEND, teams.chat(teams.aino))] == [
        429,
        502,
        201,
    ]


def test_the_limits_per_conversation_and_tenant_hold() -> None:
    now = [0.0]
    limits = RateLimits(clock=lambda: now[0])

    assert [limits.take("chat", "tenant") for _ in range(7)] == [0.0] * 7
    assert limits.take("chat", "tenant") == 1.0
    # Another conversation of the same tenant may still go, up to the tenant's 30 a second.
    assert all(limits.take(f"other-{i}", "tenant") == 0.0 for i in range(23))
    assert limits.take("another", "tenant") == 1.0
    now[0] = 1.0
    assert limits.take("chat", "tenant") == 0.0


def test_sixty_in_half_a_minute_is_the_most_a_conversation_gets() -> None:
    now = [0.0]
    limits = RateLimits(clock=lambda: now[0])
    sent = 0
    while now[0] < 30.0:
        if limits.take("chat", "tenant") == 0.0:
            sent += 1
        now[0] += 0.1

    assert sent == 60


def test_eighteen_hundred_in_an_hour_is_the_most_a_conversation_gets() -> None:
    now = [0.0]
    limits = RateLimits(clock=lambda: now[0])
    sent = 0
    waited_longest = 0.0
    while now[0] < 3600.0:
        wait = limits.take("chat", "tenant")
        if wait == 0.0:
            sent += 1
        waited_longest = max(waited_longest, wait)
        now[0] += 0.5

    assert sent == 1800
    # Once the hour's 1,800 are spent, the wait is until the oldest of them leaves the hour.
    assert waited_longest > 30.0
    now[0] = 3600.0 + 0.5
    assert limits.take("chat", "tenant") == 0.0
