"""Polls in the core: posted to the network's conversation, an anonymous vote that leaves no
trace of the voter, the poll updated in place, and its results in the poll's thread."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import MessageKind
from bot.outbox_composer import How
from bot.results.polls import PollCard, PollSaved
from storage.models import Ballot
from tests.core.platform import Scene
from tests.core.scenarios import CHANNEL, COORDINATOR, MEMBER, OPEN_NETWORK, OUTSIDER


def ask(scene: Scene, *, anonymous: bool) -> PollSaved:
    values = {"question": "Which day suits?", "options": ("Tuesday", "Thursday")}
    return scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.polls.create(
            actor, "conversation-typed-in", {**values, "anonymous": anonymous}, name=OPEN_NETWORK
        ),
    )


def vote(scene: Scene, person_id: str, saved: PollSaved, option: int = 0):
    option_id = saved.poll.options[option].id
    return scene.act(
        person_id, lambda actor, t: scene.services.polls.vote(actor, saved.poll.id, option_id)
    )


def ballots(scene: Scene, poll_id: int) -> list[tuple[Ballot, list[int]]]:
    """The poll's ballots, each with the options it chose."""
    with scene.services.db.snapshot() as store:
        found = store.session.scalars(select(Ballot).where(Ballot.poll_id == poll_id))
        return [(ballot, [c.option_id for c in ballot.choices]) for ballot in found]


def test_a_poll_is_posted_in_the_networks_conversation(scene: Scene) -> None:
    saved = ask(scene, anonymous=False)
    scene.send()

    (posted,) = scene.platform.of_kind(MessageKind.POLL)
    assert posted.recipient == CHANNEL
    assert isinstance(posted.content, PollCard)
    assert [o.label for o in posted.content.options] == ["Tuesday", "Thursday"]
    assert posted.content.id == saved.poll.id


def test_an_anonymous_vote_is_counted_and_leaves_nothing_that_leads_to_the_voter(
    scene: Scene,
) -> None:
    saved = ask(scene, anonymous=True)
    scene.send()
    (posted,) = scene.platform.of_kind(MessageKind.POLL)

    outcome = vote(scene, MEMBER, saved)
    scene.send()

    assert outcome.error is None and outcome.result.chosen == ("Tuesday",)
    ((ballot, chosen),) = ballots(scene, saved.poll.id)
    assert chosen == [saved.poll.options[0].id]
    assert ballot.person_id is None and ballot.voted_at is None
    assert MEMBER not in ballot.voter
    (refresh,) = scene.platform.of_kind(MessageKind.POLL_REFRESH)
    assert refresh.how is How.UPDATE and refresh.at == posted.placed
    assert refresh.content.total == 1 and refresh.content.anonymous


def test_voting_again_for_the_same_option_takes_the_vote_back(scene: Scene) -> None:
    saved = ask(scene, anonymous=True)
    vote(scene, MEMBER, saved)

    outcome = vote(scene, MEMBER, saved)

    assert outcome.result.chosen == ()
    assert [chosen for _, chosen in ballots(scene, saved.poll.id)] == [[]]


def test_someone_outside_the_network_may_not_vote(scene: Scene) -> None:
    saved = ask(scene, anonymous=True)

    outcome = vote(scene, OUTSIDER, saved)

    assert outcome.error is not None and outcome.error.key.startswith("error.")
    assert ballots(scene, saved.poll.id) == []


def test_closing_posts_the_results_in_the_polls_thread(scene: Scene) -> None:
    saved = ask(scene, anonymous=False)
    scene.send()
    (posted,) = scene.platform.of_kind(MessageKind.POLL)
    vote(scene, MEMBER, saved, option=1)

    scene.done(COORDINATOR, lambda actor, t: scene.services.polls.close(actor, saved.poll.id))
    scene.send()

    (results,) = scene.platform.of_kind(MessageKind.POLL_RESULTS)
    assert results.how is How.REPLY and results.at == posted.placed
    assert results.recipient == CHANNEL and results.thread == posted.placed.ref
    assert results.content.closed
    assert [o.votes for o in results.content.options] == [0, 1]
