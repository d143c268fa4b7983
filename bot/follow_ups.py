"""What follows a membership change, decided once for every platform: whom to add to the
network's conversation, which queued messages to send at once, and which networks to suggest.
A platform's adapter carries it out and tells the person how it went."""

from __future__ import annotations

from dataclasses import dataclass

from bot.results.memberships import JoinKind, JoinOutcome, LeaveOutcome, RequestDecision, RoleChange
from bot.results.people import Actor
from bot.results.recommendations import Recommendations
from bot.services import Services

# How many networks "you may also like" shows after a join, and "similar" under a network.
ALSO_LIKE = 3


@dataclass(frozen=True)
class FollowUp:
    """`invite`: add a person to a conversation, `(conversation, person)`; `send`: the outbox
    messages to send now; `also_like`: networks to suggest."""

    invite: tuple[str, str] | None = None
    send: tuple[int, ...] = ()
    also_like: Recommendations | None = None


def after_join(services: Services, actor: Actor, outcome: JoinOutcome) -> FollowUp:
    """A new member joins the linked conversation and sees networks like this one; a request
    goes to the coordinators at once."""
    if outcome.kind is not JoinKind.JOINED:
        return FollowUp(send=outcome.queued)
    invite = (outcome.channel_id, actor.user_id) if outcome.channel_id else None
    return FollowUp(invite=invite, also_like=similar_to(services, actor, outcome.network.id))


def after_leave(outcome: LeaveOutcome) -> FollowUp:
    """A withdrawn request: the coordinators' notices say so."""
    return FollowUp(send=outcome.queued)


def after_decision(decision: RequestDecision) -> FollowUp:
    """The requester (added to the linked conversation on approval, by the outbox) and the
    other coordinators who were asked are told."""
    return FollowUp(send=decision.queued)


def after_role_change(change: RoleChange) -> FollowUp:
    """Someone added to a network joins its conversation and is told who added them."""
    invite = None
    if change.added and change.channel_id:
        invite = (change.channel_id, change.person.user_id)
    return FollowUp(invite=invite, send=change.queued)


def similar_to(services: Services, actor: Actor, network_id: int) -> Recommendations:
    """The networks most like this one, for this person."""
    return services.recommendations.similar(actor, network_id=network_id, limit=ALSO_LIKE)
