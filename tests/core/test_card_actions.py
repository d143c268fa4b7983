"""What each card offers, decided in the core: the same for every platform."""

from __future__ import annotations

from bot.card_actions import (
    Act,
    Emphasis,
    answer_actions,
    event_manage_actions,
    feedback_actions,
    network_action,
    poll_manage_actions,
    reminder_actions,
    request_actions,
    second_action,
    vote_actions,
)
from bot.domain import Answer, MessageKind, PollKind
from tests.core.platform import Scene
from tests.core.scenarios import (
    COORDINATOR,
    MEMBER,
    OPEN_NETWORK,
    OUTSIDER,
    REQUEST_NETWORK,
    announce,
)


def summary_for(scene: Scene, person_id: str, slug: str):
    actor = scene.actor(person_id)
    return scene.services.networks.info(actor, slug).summary


def test_a_network_offers_join_ask_or_leave_as_the_reader_stands(scene: Scene) -> None:
    open_to_outsider = network_action(summary_for(scene, OUTSIDER, OPEN_NETWORK))
    by_request = network_action(summary_for(scene, OUTSIDER, REQUEST_NETWORK))
    to_member = network_action(summary_for(scene, MEMBER, OPEN_NETWORK))

    assert (open_to_outsider.act, open_to_outsider.label) == (Act.JOIN, "button.join")
    assert open_to_outsider.emphasis is Emphasis.PRIMARY
    assert (by_request.act, by_request.label) == (Act.JOIN, "button.request")
    assert (to_member.act, to_member.label, to_member.emphasis) == (Act.LEAVE, "button.leave", None)


def test_a_waiting_request_offers_nothing(scene: Scene) -> None:
    scene.done(
        OUTSIDER, lambda actor, t: scene.services.memberships.join(actor, name=REQUEST_NETWORK)
    )

    assert network_action(summary_for(scene, OUTSIDER, REQUEST_NETWORK)) is None


def test_a_full_event_offers_the_waitlist_and_cancelling_asks_first(scene: Scene) -> None:
    saved = announce(scene, capacity=1)
    assert answer_actions(saved.event)[0].label == "button.going"
    scene.done(
        MEMBER, lambda actor, t: scene.services.events.answer(actor, saved.event.id, Answer.GOING)
    )

    card = scene.services.events.card(scene.actor(MEMBER).workspace_id, saved.event.id)
    going, maybe, not_going = answer_actions(card)
    edit, cancel = event_manage_actions(card)

    assert (going.act, going.label) == (Act.GOING, "button.waitlist")
    assert (maybe.act, not_going.act) == (Act.MAYBE, Act.NOT_GOING)
    assert edit.act is Act.EDIT_EVENT
    assert cancel.act is Act.CANCEL_EVENT and cancel.emphasis is Emphasis.DANGER
    assert cancel.confirm is not None and dict(cancel.confirm.params) == {"title": card.title}


def test_a_cancelled_event_offers_neither_answers_nor_management(scene: Scene) -> None:
    saved = announce(scene)
    cancelled = scene.done(
        COORDINATOR, lambda actor, t: scene.services.events.cancel(actor, saved.event.id)
    )

    assert answer_actions(cancelled.event) == ()
    assert event_manage_actions(cancelled.event) == ()


def test_a_poll_offers_a_reminder_once_and_nothing_once_closed(scene: Scene) -> None:
    values = {"question": "Which day?", "options": ("Tue", "Thu")}
    saved = scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.polls.create(actor, "c", values, name=OPEN_NETWORK),
    )
    assert [a.act for a in poll_manage_actions(saved.poll)] == [Act.NUDGE, Act.CLOSE_POLL]

    scene.done(COORDINATOR, lambda actor, t: scene.services.polls.nudge(actor, saved.poll.id))
    workspace_id = scene.actor(COORDINATOR).workspace_id
    nudged = scene.services.polls.card(workspace_id, saved.poll.id)
    assert [a.act for a in poll_manage_actions(nudged)] == [Act.CLOSE_POLL]

    closed = scene.done(
        COORDINATOR, lambda actor, t: scene.services.polls.close(actor, saved.poll.id)
    )
    assert poll_manage_actions(scene.services.polls.card(workspace_id, closed.poll_id)) == ()


def test_a_choice_offers_a_vote_beside_each_option_and_a_rating_its_stars(scene: Scene) -> None:
    choice = scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.polls.create(
            actor, "c", {"question": "Which day?", "options": ("Tue", "Thu")}, name=OPEN_NETWORK
        ),
    ).poll
    stars = scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.polls.create(
            actor, "c", {"question": "How was it?", "kind": PollKind.STARS}, name=OPEN_NETWORK
        ),
    ).poll

    votes = vote_actions(choice)
    assert [(a.act, a.label, a.option) for a in votes] == [
        (Act.VOTE, "button.vote", option.id) for option in choice.options
    ]
    assert not any(a.literal for a in votes)
    ratings = vote_actions(stars)
    assert [a.label for a in ratings] == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    assert all(a.literal and a.target == stars.id for a in ratings)
    assert feedback_actions(stars)[-1].act is Act.COMMENT

    scene.done(COORDINATOR, lambda actor, t: scene.services.polls.close(actor, choice.id))
    workspace_id = scene.actor(COORDINATOR).workspace_id
    assert vote_actions(scene.services.polls.card(workspace_id, choice.id)) == ()


def test_a_reminder_offers_cannot_come_only_while_answers_are_open(scene: Scene) -> None:
    saved = announce(scene)
    (cannot_come,) = reminder_actions(saved.event)
    assert (cannot_come.act, cannot_come.label) == (Act.NOT_GOING, "button.cannot_come")

    cancelled = scene.done(
        COORDINATOR, lambda actor, t: scene.services.events.cancel(actor, saved.event.id)
    )
    assert reminder_actions(cancelled.event) == ()


def test_a_request_offers_its_coordinators_approve_and_decline(scene: Scene) -> None:
    scene.done(
        OUTSIDER, lambda actor, t: scene.services.memberships.join(actor, name=REQUEST_NETWORK)
    )
    scene.send()
    (asked,) = scene.platform.of_kind(MessageKind.JOIN_REQUEST)

    approve, decline = request_actions(asked.content)
    assert (approve.act, approve.emphasis) == (Act.APPROVE, Emphasis.PRIMARY)
    assert (decline.act, decline.emphasis) == (Act.DECLINE, Emphasis.DANGER)
    assert approve.target == decline.target == asked.content.membership_id


def test_a_signal_offers_seen_too_until_the_reader_has_said_so(scene: Scene) -> None:
    saved = scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.signals.record(
            actor, "Municipalities ask about AI rules", name=OPEN_NETWORK
        ),
    )
    assert second_action(saved.card).label == "button.seen_too"

    seconded = scene.done(
        MEMBER, lambda actor, t: scene.services.signals.second(actor, saved.card.id)
    )
    assert seconded.card.seconded_by_me
    assert (second_action(seconded.card).act, second_action(seconded.card).label) == (
        Act.SECOND_SIGNAL,
        "button.seen_too_taken",
    )
