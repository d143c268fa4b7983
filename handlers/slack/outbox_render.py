"""Outbox messages as Slack messages: each composed message mapped to its renderer."""

from __future__ import annotations

from bot.domain import MessageKind
from bot.outbox_composer import (
    Composed,
    EventChange,
    Reminder,
    RequestWithdrawn,
    RoleNotice,
)
from bot.results.digests import ChannelDigest, PersonalDigest
from bot.results.events import EventCard
from bot.results.memberships import JoinRequest, RequestDecision
from bot.results.polls import PollCard
from bot.results.signals import SignalCard
from bot.services.outbox import Undeliverable
from handlers.slack import digest_render, event_render, poll_render, signal_render
from handlers.slack.blocks import Reply
from handlers.slack.membership_render import (
    channel_note,
    decision_for_coordinator,
    decision_for_requester,
    request_notice,
    request_withdrawn_notice,
    role_notice,
)


def outbox_reply(composed: Composed, public_url: str | None, invited: bool = False) -> Reply:
    """The Slack message for `composed`; `invited` says whether the person it asked to add to
    a channel is in it."""
    t, content, kind = composed.t, composed.content, composed.kind
    match content:
        case EventCard() if kind in (MessageKind.ANNOUNCEMENT, MessageKind.ANNOUNCEMENT_REFRESH):
            return event_render.announcement(t, content, public_url)
        case EventCard() if kind is MessageKind.PROMOTION:
            return event_render.promotion(t, content, public_url)
        case EventCard() if kind is MessageKind.EVENT_CANCELLED:
            return event_render.cancellation(t, content)
        case Reminder():
            return event_render.reminder(t, content.card, content.minutes_before, public_url)
        case EventChange():
            return event_render.change_notice(
                t, content.card, content.changed, content.before, public_url
            )
        case PollCard() if kind in (MessageKind.POLL, MessageKind.POLL_REFRESH):
            return poll_render.poll_message(t, content, composed.now)
        case PollCard() if kind is MessageKind.POLL_RESULTS:
            return poll_render.results_reply(t, content, composed.now)
        case PollCard() if kind is MessageKind.POLL_NUDGE:
            return poll_render.nudge_message(t, content)
        case PollCard() if kind is MessageKind.FEEDBACK_REQUEST:
            return poll_render.feedback_request(t, content)
        case PollCard() if kind is MessageKind.FEEDBACK_SUMMARY:
            return poll_render.feedback_summary(t, content, composed.now)
        case SignalCard():
            return signal_render.signal_message(t, content)
        case ChannelDigest():
            return digest_render.channel_digest(t, content)
        case PersonalDigest():
            return digest_render.personal_digest(t, content)
        case JoinRequest():
            return request_notice(t, content)
        case RequestWithdrawn():
            return request_withdrawn_notice(t, content.person, content.network)
        case RequestDecision() if kind is MessageKind.REQUEST_CLOSED:
            return decision_for_coordinator(t, content)
        case RequestDecision():
            note = None
            if composed.invite is not None:
                note = channel_note(t, composed.invite[0], invited)
            return decision_for_requester(t, content, note)
        case RoleNotice():
            return role_notice(t, content.change, content.by)
    raise Undeliverable(f"unknown_kind:{kind}")
