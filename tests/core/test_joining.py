"""Joining a network, in the core: open, by request, approved, declined, withdrawn; what is
stored, and what each person's platform is asked to show them."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import MembershipStatus, MessageKind
from bot.outbox_composer import How, RequestWithdrawn
from bot.results.memberships import JoinKind, JoinRequest, RequestDecision
from storage.models import Membership, Person
from tests.core.platform import Scene
from tests.core.scenarios import (
    COORDINATOR,
    MEMBER,
    NEWCOMER,
    OPEN_NETWORK,
    OUTSIDER,
    REQUEST_NETWORK,
)


def statuses(scene: Scene, person_id: str) -> list[MembershipStatus]:
    with scene.services.db.snapshot() as store:
        query = (
            select(Membership.status)
            .join(Person, Membership.person_id == Person.id)
            .where(Person.user_id == person_id)
            .order_by(Membership.id)
        )
        return list(store.session.scalars(query))


def join(scene: Scene, person_id: str, network: str):
    return scene.act(
        person_id, lambda actor, t: scene.services.memberships.join(actor, name=network)
    )


def request_of(scene: Scene, person_id: str) -> int:
    outcome = join(scene, person_id, REQUEST_NETWORK)
    assert outcome.result is not None and outcome.result.kind is JoinKind.REQUESTED
    scene.send()
    (asked,) = scene.platform.of_kind(MessageKind.JOIN_REQUEST)
    assert isinstance(asked.content, JoinRequest)
    return asked.content.membership_id


def test_joining_an_open_network_makes_a_member_at_once_and_asks_nobody(scene: Scene) -> None:
    outcome = join(scene, OUTSIDER, OPEN_NETWORK)

    assert outcome.error is None
    assert outcome.result.kind is JoinKind.JOINED
    assert outcome.result.channel_id == "conversation-ennakointi"
    assert statuses(scene, OUTSIDER) == [MembershipStatus.ACTIVE]
    scene.send()
    assert scene.platform.delivered == []


def test_a_person_met_for_the_first_time_is_read_from_the_platform_once(scene: Scene) -> None:
    join(scene, NEWCOMER, OPEN_NETWORK)
    scene.act(NEWCOMER, lambda actor, t: scene.services.memberships.mine(actor))

    assert scene.platform.profile_reads.count(NEWCOMER) == 1
    assert statuses(scene, NEWCOMER) == [MembershipStatus.ACTIVE]


def test_joining_twice_is_refused_in_the_persons_words_and_changes_nothing(scene: Scene) -> None:
    join(scene, OUTSIDER, OPEN_NETWORK)
    outcome = join(scene, OUTSIDER, OPEN_NETWORK)

    assert outcome.error is not None and outcome.error.key == "error.join.already_member"
    assert outcome.t.language == "en"
    assert statuses(scene, OUTSIDER) == [MembershipStatus.ACTIVE]


def test_an_unknown_network_is_a_not_found_answer_and_stores_nothing(scene: Scene) -> None:
    outcome = join(scene, OUTSIDER, "no-such-network-at-all")

    assert outcome.error is not None
    assert outcome.error.key.startswith("error.")
    assert statuses(scene, OUTSIDER) == []


def test_a_request_asks_each_coordinator_on_their_own_platform(scene: Scene) -> None:
    outcome = join(scene, OUTSIDER, REQUEST_NETWORK)
    scene.send()

    assert outcome.result.kind is JoinKind.REQUESTED
    assert statuses(scene, OUTSIDER) == [MembershipStatus.PENDING]
    (asked,) = scene.platform.of_kind(MessageKind.JOIN_REQUEST)
    assert asked.recipient == COORDINATOR
    assert asked.how is How.POST
    assert asked.content.requester.user_id == OUTSIDER
    assert asked.content.network.slug == REQUEST_NETWORK


def test_approving_tells_the_requester_and_no_one_else(scene: Scene) -> None:
    membership_id = request_of(scene, OUTSIDER)

    scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.memberships.decide(actor, membership_id, approve=True),
    )
    scene.send()

    assert statuses(scene, OUTSIDER) == [MembershipStatus.ACTIVE]
    (answer,) = scene.platform.of_kind(MessageKind.REQUEST_ANSWER)
    assert answer.recipient == OUTSIDER
    assert isinstance(answer.content, RequestDecision) and answer.content.approved
    assert answer.content.decided_by.user_id == COORDINATOR
    # The deciding coordinator sees the answer where they clicked; nobody else was asked.
    assert scene.platform.of_kind(MessageKind.REQUEST_CLOSED) == []


def test_declining_tells_the_requester_and_invites_nobody(scene: Scene) -> None:
    membership_id = request_of(scene, OUTSIDER)

    scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.memberships.decide(actor, membership_id, approve=False),
    )
    scene.send()

    assert statuses(scene, OUTSIDER) == [MembershipStatus.DECLINED]
    (answer,) = scene.platform.of_kind(MessageKind.REQUEST_ANSWER)
    assert answer.content.approved is False
    assert scene.platform.invited == []


def test_only_a_coordinator_may_decide_a_request(scene: Scene) -> None:
    membership_id = request_of(scene, OUTSIDER)

    outcome = scene.act(
        MEMBER,
        lambda actor, t: scene.services.memberships.decide(actor, membership_id, approve=True),
    )

    assert outcome.error is not None and outcome.error.key.startswith("error.forbidden")
    assert statuses(scene, OUTSIDER) == [MembershipStatus.PENDING]


def test_a_withdrawn_request_turns_the_coordinators_notice_in_place(scene: Scene) -> None:
    request_of(scene, OUTSIDER)
    notice = scene.platform.delivered[-1]

    scene.done(
        OUTSIDER, lambda actor, t: scene.services.memberships.leave(actor, name=REQUEST_NETWORK)
    )
    scene.send()

    (closed,) = scene.platform.of_kind(MessageKind.REQUEST_CLOSED)
    assert closed.how is How.UPDATE
    assert closed.at == notice.placed
    assert isinstance(closed.content, RequestWithdrawn)
    assert closed.content.person.user_id == OUTSIDER
    assert statuses(scene, OUTSIDER) == [MembershipStatus.LEFT]


def test_approving_into_a_linked_network_asks_the_platform_to_invite(scene: Scene) -> None:
    actor = scene.actor(COORDINATOR)
    editable = scene.services.networks.editable(actor, OPEN_NETWORK)
    scene.services.networks.update(
        actor, editable.network_id, {**editable.form.model_dump(), "join_policy": "request"}
    )
    join(scene, OUTSIDER, OPEN_NETWORK)
    scene.send()
    (asked,) = scene.platform.of_kind(MessageKind.JOIN_REQUEST)

    scene.done(
        COORDINATOR,
        lambda actor, t: scene.services.memberships.decide(
            actor, asked.content.membership_id, approve=True
        ),
    )
    scene.send()

    assert scene.platform.invited == [("conversation-ennakointi", OUTSIDER)]
