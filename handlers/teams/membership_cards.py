"""Memberships in Teams: requests to join and their answers, members and roles."""

from __future__ import annotations

from bot.card_actions import request_actions
from bot.i18n import Translator
from bot.results.memberships import JoinRequest, MemberList, RequestDecision, RoleChange
from bot.results.refs import NetworkRef, PersonRef
from handlers.teams.cards import Message, action_elements, facts, message, name_of, plain, say, text


def request_notice(t: Translator, request: JoinRequest) -> Message:
    """What the coordinators of a by-request network receive, with Approve and Decline."""
    words = say(
        t,
        "request.notice_external" if request.external else "request.notice",
        person=request.requester.display_name,
        network=name_of(request.network, t),
    )
    return message(words, text(words), *action_elements(t, request_actions(request)))


def decision_for_coordinator(t: Translator, decision: RequestDecision) -> Message:
    """What a request notice becomes once a coordinator has answered it."""
    key = "request.approved_by" if decision.approved else "request.declined_by"
    return plain(
        t,
        key,
        person=decision.requester.display_name,
        network=name_of(decision.network, t),
        coordinator=decision.decided_by.display_name,
    )


def decision_for_requester(t: Translator, decision: RequestDecision) -> Message:
    key = "request.approved" if decision.approved else "request.declined"
    words = say(t, key, network=name_of(decision.network, t))
    body = [text(words)]
    if decision.approved and decision.channel_id:
        body.append(text(say(t, "teams.channel_note"), subtle=True))
    return message(words, *body)


def request_withdrawn_notice(t: Translator, person: PersonRef, network: NetworkRef) -> Message:
    return plain(t, "request.withdrawn", person=person.display_name, network=name_of(network, t))


def members_message(t: Translator, members: MemberList) -> Message:
    name = name_of(members.network, t)
    if not members.total:
        return plain(t, "members.none", network=name)
    title = say(t, "members.title", count=members.total, network=name)
    rows = [
        (
            m.person.display_name,
            f"{t.label(m.role)} · {t.date(m.joined_at)}"
            + (f" · {say(t, 'members.external')}" if m.external else ""),
        )
        for m in members.members
    ]
    body = [text(title), facts(rows)]
    hidden = members.total - len(members.members)
    if hidden > 0:
        body.append(text(say(t, "members.more", count=hidden), subtle=True))
    return message(title, *body)


def role_notice(t: Translator, change: RoleChange, coordinator: PersonRef) -> Message:
    """What the person whose role changed is told."""
    key = "role_change.added_you" if change.added else "role_change.changed_you"
    return plain(
        t,
        key,
        coordinator=coordinator.display_name,
        role=t.label(change.role),
        network=name_of(change.network, t),
    )


def role_message(t: Translator, change: RoleChange) -> Message:
    """Who got which role; where the network talks, since a bot cannot add them there."""
    key = "role_change.added" if change.added else "role_change.changed"
    words = say(
        t,
        key,
        person=change.person.display_name,
        role=t.label(change.role),
        network=name_of(change.network, t),
    )
    body = [text(words)]
    if change.added and change.channel_id:
        body.append(text(say(t, "teams.channel_note_them"), subtle=True))
    return message(words, *body)
