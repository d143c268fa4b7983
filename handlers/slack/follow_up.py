"""What follows a membership change in Slack: channel invitations and notes to those concerned."""

from __future__ import annotations

from bot.i18n import Translator
from bot.views import Actor, JoinKind, JoinOutcome, PersonRef, RequestDecision, RoleChange
from handlers.slack.markup import Mrkdwn
from handlers.slack.render import (
    Reply,
    channel_note,
    decision_for_coordinator,
    decision_for_requester,
    joined_reply,
    request_notice,
    requested_reply,
    role_notice,
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


def after_join(rt: Runtime, t: Translator, actor: Actor, outcome: JoinOutcome) -> Reply:
    """Invite a new member to the linked channel, or ask the coordinators about a request."""
    if outcome.kind is JoinKind.JOINED:
        note = _invite(rt, t, outcome.channel_id, actor.user_id)
        return joined_reply(t, outcome, note)
    assert outcome.request is not None
    for decider in outcome.deciders:
        their = rt.translator_for(decider)
        rt.messenger.message_person(decider.user_id, request_notice(their, outcome.request))
    return requested_reply(t, outcome)


def after_decision(rt: Runtime, t: Translator, decision: RequestDecision) -> Reply:
    """Tell the requester; on approval, add them to the linked channel too."""
    requester = decision.requester
    theirs = rt.translator_for(requester)
    note = (
        _invite(rt, theirs, decision.channel_id, requester.user_id) if decision.approved else None
    )
    rt.messenger.message_person(requester.user_id, decision_for_requester(theirs, decision, note))
    return decision_for_coordinator(t, decision)


def after_role_change(rt: Runtime, t: Translator, actor: Actor, change: RoleChange) -> Reply:
    """Add a newly added member to the channel and tell them who added them, and as what."""
    note = (
        _invite(rt, t, change.channel_id, change.person.user_id, whom="them")
        if change.added
        else None
    )
    person = change.person
    if person.user_id != actor.user_id:
        theirs = rt.translator_for(person)
        coordinator = PersonRef(actor.user_id, actor.display_name)
        rt.messenger.message_person(person.user_id, role_notice(theirs, change, coordinator))
    return role_reply(t, change, note)
