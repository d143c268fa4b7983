"""Memberships in Slack: joining, requests and their answers, leaving, members and roles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
)

from bot.card_actions import request_actions
from bot.domain import MembershipStatus
from bot.i18n import Translator
from bot.results.memberships import (
    ChannelJoin,
    JoinOutcome,
    JoinRequest,
    LeaveKind,
    LeaveOutcome,
    MemberList,
    MembershipView,
    RequestDecision,
    RoleChange,
)
from bot.results.recommendations import Recommendations
from bot.results.refs import NetworkRef, PersonRef
from handlers.slack.blocks import (
    Reply,
    action_button,
    context,
    name_of,
    plain,
    section,
)
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    code,
    escape,
    say,
    say_count,
)
from handlers.slack.network_render import suggestion_blocks


def joined_reply(
    t: Translator,
    outcome: JoinOutcome,
    channel_note: Mrkdwn | None,
    also: Recommendations | None = None,
) -> Reply:
    """Welcome to the network; and, when there are some, networks one may also like."""
    reply = plain(t, "join.done", note=channel_note, network=name_of(outcome.network, t))
    if also is None or not also.networks:
        return reply
    extra = [section(say(t, "similar.also")), *suggestion_blocks(t, also)]
    return Reply(text=reply.text, blocks=[*reply.blocks, *extra])


def requested_reply(t: Translator, outcome: JoinOutcome) -> Reply:
    key = "join.requested" if outcome.deciders else "join.requested_nobody"
    return plain(t, key, network=name_of(outcome.network, t))


def channel_note(t: Translator, channel_id: str, invited: bool, whom: str = "you") -> Mrkdwn:
    """How adding someone to a linked channel went; `whom` is "you" or "them"."""
    outcome = "added" if invited else "not_added"
    return say(t, f"channel.{outcome}_{whom}", channel=channel_link(channel_id))


def request_notice(t: Translator, request: JoinRequest) -> Reply:
    """What the coordinators of a by-request network receive."""
    text = say(
        t,
        "request.notice_external" if request.external else "request.notice",
        person=request.requester.display_name,
        network=name_of(request.network, t),
    )
    buttons = [action_button(t, action) for action in request_actions(request)]
    return Reply(text=text, blocks=[section(text), ActionsBlock(elements=buttons)])


def decision_for_coordinator(t: Translator, decision: RequestDecision) -> Reply:
    key = "request.approved_by" if decision.approved else "request.declined_by"
    reply = plain(
        t,
        key,
        person=decision.requester.display_name,
        network=name_of(decision.network, t),
        coordinator=decision.decided_by.display_name,
    )
    return replace(reply, replace_original=True)


def request_withdrawn_notice(t: Translator, person: PersonRef, network: NetworkRef) -> Reply:
    """What a coordinator's request notice turns into when the request is withdrawn."""
    return plain(t, "request.withdrawn", person=person.display_name, network=name_of(network, t))


def decision_for_requester(
    t: Translator, decision: RequestDecision, note: Mrkdwn | None = None
) -> Reply:
    key = "request.approved" if decision.approved else "request.declined"
    return plain(t, key, note=note, network=name_of(decision.network, t))


def left_reply(t: Translator, outcome: LeaveOutcome) -> Reply:
    key = "leave.done" if outcome.kind is LeaveKind.LEFT else "leave.withdrawn"
    return plain(t, key, network=name_of(outcome.network, t))


def invite_bot_notice(t: Translator, channel_id: str) -> Reply:
    """Told to a coordinator who linked a channel the bot is not in."""
    return plain(t, "slack.invite_bot", channel=channel_link(channel_id))


def channel_join_reply(t: Translator, join: ChannelJoin) -> Reply:
    return plain(
        t,
        f"channel.{join.kind.value}",
        network=name_of(join.network, t),
        channel=channel_link(join.channel_id),
        slug=join.network.slug,
    )


# Similar networks ------------------------------------------------------------------------------


def memberships_reply(t: Translator, memberships: Sequence[MembershipView]) -> Reply:
    if not memberships:
        return plain(t, "mine.none")
    lines = []
    for view in memberships:
        if view.status is MembershipStatus.PENDING:
            standing = say(t, "mine.pending", date=t.date(view.since))
        else:
            standing = say(t, "mine.member", role=t.label(view.role), date=t.date(view.since))
        lines.append(f"• {bold(name_of(view.network, t))} {code(view.network.slug)} · {standing}")
    title = say_count(t, "mine.title", len(memberships))
    return Reply(text=title, blocks=[section(title), section("\n".join(lines))])


def members_reply(t: Translator, members: MemberList) -> Reply:
    name = name_of(members.network, t)
    if not members.total:
        return plain(t, "members.none", network=name)
    title = say_count(t, "members.title", members.total, network=name)
    lines = [
        f"• {escape(m.person.display_name)} · {escape(t.label(m.role))} · {t.date(m.joined_at)}"
        + (f" · {say(t, 'members.external')}" if m.external else "")
        for m in members.members
    ]
    blocks: list[Block] = [section(title), section("\n".join(lines))]
    hidden = members.total - len(members.members)
    if hidden > 0:
        blocks.append(context(say_count(t, "members.more", hidden)))
    return Reply(text=title, blocks=blocks)


def role_reply(t: Translator, change: RoleChange, note: Mrkdwn | None) -> Reply:
    key = "role_change.added" if change.added else "role_change.changed"
    return plain(
        t,
        key,
        note=note,
        person=change.person.display_name,
        role=t.label(change.role),
        network=name_of(change.network, t),
    )


def role_notice(t: Translator, change: RoleChange, coordinator: PersonRef) -> Reply:
    """What the person whose role changed is told."""
    key = "role_change.added_you" if change.added else "role_change.changed_you"
    return plain(
        t,
        key,
        coordinator=coordinator.display_name,
        role=t.label(change.role),
        network=name_of(change.network, t),
    )
