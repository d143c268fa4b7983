"""Carrying out in Slack what the core says follows a membership change (`bot/follow_ups.py`):
channel invitations, and sending at once the messages the change queued."""

from __future__ import annotations

from bot import follow_ups
from bot.follow_ups import FollowUp
from bot.i18n import Translator
from bot.results.memberships import JoinKind, JoinOutcome, LeaveOutcome, RequestDecision, RoleChange
from bot.results.networks import NetworkDetail
from bot.results.people import Actor
from handlers.slack.blocks import Reply
from handlers.slack.markup import Mrkdwn
from handlers.slack.membership_render import (
    channel_note,
    decision_for_coordinator,
    joined_reply,
    left_reply,
    requested_reply,
    role_reply,
)
from handlers.slack.network_render import detail_reply
from handlers.slack.runtime import Runtime


def _carry_out(rt: Runtime, t: Translator, follow_up: FollowUp, whom: str = "you") -> Mrkdwn | None:
    """Add the person to the network's channel and send what the change queued; a note on how
    the adding went, about `whom` ("you"/"them")."""
    note = None
    if follow_up.invite is not None:
        channel_id, user_id = follow_up.invite
        note = channel_note(t, channel_id, rt.platform.invite(channel_id, user_id), whom)
    rt.send_queued(follow_up.send)
    return note


def after_join(rt: Runtime, t: Translator, actor: Actor, outcome: JoinOutcome) -> Reply:
    """Welcome a new member, with networks they may also like; or say who was asked."""
    follow_up = follow_ups.after_join(rt.services, actor, outcome)
    note = _carry_out(rt, t, follow_up)
    if outcome.kind is JoinKind.JOINED:
        return joined_reply(t, outcome, note, follow_up.also_like)
    return requested_reply(t, outcome)


def info_reply(rt: Runtime, t: Translator, actor: Actor, detail: NetworkDetail) -> Reply:
    """A network's details, its calendar feed, and the networks like it."""
    similar = follow_ups.similar_to(rt.services, actor, detail.summary.ref.id)
    return detail_reply(t, detail, rt.calendar_url(detail.calendar_token), similar)


def after_leave(rt: Runtime, t: Translator, outcome: LeaveOutcome) -> Reply:
    """Gone, or the request withdrawn (the coordinators' notices say so)."""
    _carry_out(rt, t, follow_ups.after_leave(outcome))
    return left_reply(t, outcome)


def after_decision(rt: Runtime, t: Translator, decision: RequestDecision) -> Reply:
    """The coordinator's answer, in place of the notice they answered."""
    _carry_out(rt, t, follow_ups.after_decision(decision))
    return decision_for_coordinator(t, decision)


def after_role_change(rt: Runtime, t: Translator, actor: Actor, change: RoleChange) -> Reply:
    """Who got which role, and whether they were added to the channel."""
    note = _carry_out(rt, t, follow_ups.after_role_change(change), whom="them")
    return role_reply(t, change, note)
