"""Many votes on one poll at once: the counts are exact and each voter's last choice counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.services import Services
from handlers.slack.standin.model import TEAM_ID
from handlers.slack.standin.server import WebApiStandIn
from tests.support import FORESIGHT, Slack, add_members, buttons_of
from tests.test_polls import QUESTION, ask

VOTERS = 250  # each votes twice: 500 votes


def test_five_hundred_votes_at_once_are_counted_exactly_and_the_last_choice_wins(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    voters = [f"U0V{number:04d}" for number in range(VOTERS)]
    add_members(directory, standin, FORESIGHT, voters)
    poll = ask(slack, QUESTION)
    buttons = [b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote")]

    def two_votes(number: int) -> list[int]:
        """Vote for one option, then change to the next one."""
        statuses = []
        for choice in (number % 3, (number + 1) % 3):
            button = buttons[choice]
            exchange = slack.click(voters[number], button["action_id"], button["value"])
            statuses.append(exchange.response.status)
        return statuses

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = [s for pair in pool.map(two_votes, range(VOTERS)) for s in pair]
    assert statuses == [200] * (2 * VOTERS)

    expected = [sum(1 for n in range(VOTERS) if (n + 1) % 3 == option) for option in range(3)]
    with directory.db.snapshot() as store:
        workspace = store.workspaces.by_team(TEAM_ID)
        assert workspace is not None
    card = directory.polls.card(workspace.id, 1)
    assert card is not None
    assert [option.votes for option in card.options] == expected
    assert card.total == VOTERS
    last = [c for c in standin.calls_to("chat.update") if c.ok][-1]
    shown = str(last.params)
    assert f"{VOTERS} people have voted" in shown, "the message ends showing every voter"
