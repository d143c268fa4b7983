"""Outbox messages as Teams messages: each composed message mapped to its card."""

from __future__ import annotations

from bot.domain import MessageKind
from bot.outbox_composer import Composed, EventChange, Reminder, RequestWithdrawn, RoleNotice
from bot.results.digests import ChannelDigest, PersonalDigest
from bot.results.events import EventCard
from bot.results.memberships import JoinRequest, RequestDecision
from bot.results.polls import PollCard
from bot.results.signals import SignalCard
from bot.services.outbox import Undeliverable
from handlers.teams import digest_cards, event_cards, poll_cards, signal_cards
from handlers.teams.cards import Message
from handlers.teams.membership_cards import (
    decision_for_coordinator,
    decision_for_requester,
    request_notice,
    request_withdrawn_notice,
    role_notice,
)


def outbox_message(composed: Composed, public_url: str | None) -> Message:
    """The Teams message for `composed` (a bot cannot add people to a channel: the card says
    where to find the conversation instead)."""
    t, content, kind = composed.t, composed.content, composed.kind
    match content:
        case EventCard() if kind in (MessageKind.ANNOUNCEMENT, MessageKind.ANNOUNCEMENT_REFRESH):
            return event_cards.announcement(t, content, public_url)
        case EventCard() if kind is MessageKind.PROMOTION:
            return event_cards.promotion(t, content, public_url)
        case EventCard() if kind is MessageKind.EVENT_CANCELLED:
            return event_cards.cancellation(t, content)
        case Reminder():
            return event_cards.reminder(t, content.card, content.minutes_before, public_url)
        case EventChange():
            return event_cards.change_notice(
                t, content.card, content.changed, content.before, public_url
            )
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
        case PollCard() if kind in (MessageKind.POLL, MessageKind.POLL_REFRESH):
            return poll_cards.poll_message(t, content, composed.now)
        case PollCard() if kind is MessageKind.POLL_RESULTS:
            return poll_cards.results_message(t, content, composed.now)
        case PollCard() if kind is MessageKind.POLL_NUDGE:
            return poll_cards.nudge_message(t, content)
        case PollCard() if kind is MessageKind.FEEDBACK_REQUEST:
            return poll_cards.feedback_request(t, content)
        case PollCard() if kind is MessageKind.FEEDBACK_SUMMARY:
            return poll_cards.results_message(t, content, composed.now, "feedback.summary")
        case SignalCard():
            return signal_cards.signal_message(t, content)
        case ChannelDigest():
            return digest_cards.channel_digest(t, content)
        case PersonalDigest():
            return digest_cards.personal_digest(t, content)
    raise Undeliverable(f"unknown_kind:{kind}")
