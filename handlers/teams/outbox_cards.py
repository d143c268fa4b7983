"""Outbox messages as Teams messages: each composed message mapped to its card.

Being built (issue 17): the messages about memberships go out in Teams; events, polls,
signals and digests are not drawn for Teams yet, and such a message is marked undeliverable
with that reason rather than sent half-made."""

from __future__ import annotations

from bot.domain import MessageKind
from bot.outbox_composer import Composed, RequestWithdrawn, RoleNotice
from bot.results.memberships import JoinRequest, RequestDecision
from bot.services.outbox import Undeliverable
from handlers.teams.cards import Message
from handlers.teams.membership_cards import (
    decision_for_coordinator,
    decision_for_requester,
    request_notice,
    request_withdrawn_notice,
    role_notice,
)


def outbox_message(composed: Composed, invited: bool = False) -> Message:
    """The Teams message for `composed` (a bot cannot add people to a channel: `invited` is
    always False in Teams, and the card says where to find the conversation instead)."""
    t, content, kind = composed.t, composed.content, composed.kind
    match content:
        case JoinRequest():
            return request_notice(t, content)
        case RequestWithdrawn():
            return request_withdrawn_notice(t, content.person, content.network)
        case RequestDecision() if kind is MessageKind.REQUEST_CLOSED:
            return decision_for_coordinator(t, content)
        case RequestDecision():
            return decision_for_requester(t, content)
        case RoleNotice():
            return role_notice(t, content.change, content.by)
    raise Undeliverable(f"not_in_teams_yet:{kind}")
