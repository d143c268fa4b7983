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
