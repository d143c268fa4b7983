"""A burst of answers makes a few updates of the announcement, not one per answer: a message
sent before is sent again only `VERKOSTO_REFRESH_SECONDS` (2 s) after its last send, which
keeps Slack's chat.update rate limit (about 50 a minute) out of reach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.services import Services
from bot.settings import Settings
from tests.support import FORESIGHT, Slack, add_members, text_of
from tests.test_events import announce, answers, click, event_id


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"verkosto_refresh_seconds": 2})


def test_five_answers_at_once_update_the_announcement_twice(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    people = [f"U0R{number:04d}" for number in range(5)]
    add_members(directory, slack.standin, FORESIGHT, people)
    _, posted = announce(slack)
    event = event_id(posted)
    clock.advance(timedelta(seconds=10))
    updates = [click(slack, person, "going", event).to("chat.update") for person in people]
    assert [len(made) for made in updates] == [1, 0, 0, 0, 0], "the first at once, then rest"
    assert "1 going" in text_of(updates[0][0])
    assert len(answers(directory, event)) == 5, "every answer is stored at once"
    clock.advance(timedelta(seconds=1))
    assert slack.worker().to("chat.update") == [], "not within two seconds of the last"
    clock.advance(timedelta(seconds=1))
    [caught_up] = slack.worker().to("chat.update")
    assert "5 going" in text_of(caught_up)
    clock.advance(timedelta(seconds=5))
    [at_once] = click(slack, people[0], "not_going", event).to("chat.update")
    assert "4 going" in text_of(at_once), "a quiet moment later, an answer shows at once"


def test_a_resting_message_is_not_asked_for_at_each_answer(
    slack: Slack, directory: Services, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [f"U0R{number:04d}" for number in range(6)]
    add_members(directory, slack.standin, FORESIGHT, people)
    _, posted = announce(slack)
    event = event_id(posted)
    clock.advance(timedelta(seconds=10))
    claims: list[tuple[int, ...]] = []
    claim = directory.outbox.claim

    def counted(limit: int, ids=None, platforms=None):
        claims.append(tuple(ids or ()))
        return claim(limit, ids, platforms)

    monkeypatch.setattr(directory.outbox, "claim", counted)
    for person in people[:5]:
        click(slack, person, "going", event)
    assert len(claims) == 2, "sent at the first, found resting at the second, then left alone"
    clock.advance(timedelta(milliseconds=500))
    click(slack, people[5], "going", event)
    assert len(claims) == 3, "asked again a quarter of the spacing later"
    clock.advance(timedelta(seconds=2))
    assert "6 going" in text_of(slack.worker().to("chat.update")[0]), "the worker caught up"
