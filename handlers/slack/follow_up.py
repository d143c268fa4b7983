"""What follows a membership change in Slack: channel invitations, and sending the messages the
change queued for the people concerned (coordinators, the requester, the person given a role)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.views import (
    Actor,
    JoinKind,
    JoinOutcome,
    LeaveOutcome,
    NetworkDetail,
    RequestDecision,
    RoleChange,
)
from handlers.slack.markup import Mrkdwn
from handlers.slack.render import (
    Reply,
    channel_note,
    decision_for_coordinator,
    detail_reply,
    joined_reply,
    left_reply,
    requested_reply,
    role_reply,
)
from handlers.slack.runtime import Runtime


def _invite(
    rt: Runtime, t: Translator, channel_id: str | None, user_id: str, whom: str = "you"
) -> Mrkdwn | None:
    """Add someone to the network's channel; a note on how it went, about `whom` ("you"/"them")."""
    if not channel_id:
        return None
    return channel_note(t, channel_id, rt.messenger.invite(channel_id, user_id), whom)


ALSO_LIKE = 3


def after_join(rt: Runtime, t: Translator, actor: Actor, outcome: JoinOutcome) -> Reply:
    """Invite a new member to the linked channel, with networks they may also like; or ask the
    coordinators about a request."""
    if outcome.kind is JoinKind.JOINED:
        note = _invite(rt, t, outcome.channel_id, actor.user_id)
        recommendations = rt.services.recommendations
        also = recommendations.similar(actor, network_id=outcome.network.id, limit=ALSO_LIKE)
        return joined_reply(t, outcome, note, also)
    rt.send_queued(outcome.queued)
    return requested_reply(t, outcome)


def info_reply(rt: Runtime, t: Translator, actor: Actor, detail: NetworkDetail) -> Reply:
    """A network's details, its calendar feed, and the networks like it."""
    recommendations = rt.services.recommendations
    similar = recommendations.similar(actor, network_id=detail.summary.ref.id, limit=ALSO_LIKE)
    return detail_reply(t, detail, rt.calendar_url(detail.calendar_token), similar)


def after_leave(rt: Runtime, t: Translator, outcome: LeaveOutcome) -> Reply:
    """A withdrawn request: the coordinators' notices say so."""
    rt.send_queued(outcome.queued)
    return left_reply(t, outcome)


def after_decision(rt: Runtime, t: Translator, decision: RequestDecision) -> Reply:
    """Tell the requester (who is added to the linked channel on approval) and the other
    coordinators who were asked."""
    rt.send_queued(decision.queued)
    return decision_for_coordinator(t, decision)


def after_role_change(rt: Runtime, t: Translator, actor: Actor, change: RoleChange) -> Reply:
    """Add a newly added member to the channel and tell them who added them, and as what."""
    note = (
        _invite(rt, t, change.channel_id, change.person.user_id, whom="them")
        if change.added
        else None
    )
    rt.send_queued(change.queued)
    return role_reply(t, change, note)
