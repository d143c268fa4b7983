"""Views to Block Kit, in the reader's language. Every person's text goes through `markup`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.commands import Verb
from bot.domain import Category, DigestFrequency, JoinPolicy, MembershipStatus, Scope
from bot.errors import Ambiguous, FormInvalid, NotFound, VerkostoError
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
from bot.results.networks import NetworkDetail, NetworkSummary, SearchResult
from bot.results.people import Actor
from bot.results.recommendations import Reason, Recommendations
from bot.results.refs import NetworkRef, PersonRef
from bot.text import shorten
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    code,
    escape,
    escape_within,
    link,
    say,
    say_count,
)

LIST_DESCRIPTION_LENGTH = 280
BUTTON_TEXT_LENGTH = 75
HEADER_LENGTH = 150


class ActionId(StrEnum):
    """The action ids of every button the bot sends; listeners are registered by these.
    A button may add `.N` to tell it apart from its siblings in a block (see `button`)."""

    @classmethod
    def of(cls, action_id: str) -> ActionId:
        """The action of a button's action id, with or without its `.N`."""
        base, _, nth = action_id.rpartition(".")
        return cls(base if nth.isascii() and nth.isdigit() and base else action_id)

    JOIN = "network.join"
    LEAVE = "network.leave"
    INFO = "network.info"
    MORE = "directory.more"
    APPROVE = "request.approve"
    DECLINE = "request.decline"
    GOING = "event.going"
    MAYBE = "event.maybe"
    NOT_GOING = "event.not_going"
    EDIT_EVENT = "event.edit"
    CANCEL_EVENT = "event.cancel"
    CALENDAR = "event.calendar"
    VOTE = "poll.vote"
    ADD_OPTION = "poll.add_option"
    NUDGE = "poll.nudge"
    CLOSE_POLL = "poll.close"
    COMMENT = "poll.comment"
    SECOND_SIGNAL = "signal.second"
    DIGEST_OFF = "digest.off"
    FORGET_ME = "privacy.forget"
    HOME_ALL = "home.all"
    HOME_SEARCH = "home.search"
    HOME_EVENT = "home.event"
    HOME_POLL = "home.poll"
    HOME_REPORT = "home.report"
    HOME_LANGUAGE = "home.language"
    HOME_REMINDERS = "home.reminders"
    HOME_DIGEST = "home.digest"


@dataclass(frozen=True)
class Reply:
    """A message: the notification text and the blocks that show it.

    The text is parsed as mrkdwn in notifications, so it must come from `markup`, never raw.
    """

    text: Mrkdwn
    blocks: list[Block] = field(default_factory=list)
    replace_original: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.text, Mrkdwn):
            raise TypeError("a reply's text must be escaped mrkdwn; build it with markup.say()")

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"text": self.text}
        if self.blocks:
            message["blocks"] = [block.to_dict() for block in self.blocks]
        return message


def name_of(network: NetworkRef, t: Translator) -> str:
    return network.names.in_(t.language) or network.slug


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text) for text in texts if text])


def button(
    label: str,
    action: ActionId,
    value: str | int,
    style: str | None = None,
    nth: int | None = None,
) -> ButtonElement:
    """A button; `nth` tells apart several buttons of one action in one block (Slack wants
    action ids unique within a block): `poll.vote.3`."""
    return ButtonElement(
        text=PlainTextObject(text=shorten(label, BUTTON_TEXT_LENGTH), emoji=False),
        action_id=action.value if nth is None else f"{action.value}.{nth}",
        value=str(value),
        style=style,
    )


def header(text: str) -> HeaderBlock:
    """A heading; the text is escaped, since Slack parses plain_text's &, < and > too."""
    return HeaderBlock(text=PlainTextObject(text=escape_within(text, HEADER_LENGTH), emoji=False))


def plain(t: Translator, key: str, note: Mrkdwn | None = None, **params: Any) -> Reply:
    """One catalog message as a reply, with an optional note after it."""
    text = say(t, key, **params)
    if note:
        text = Mrkdwn(f"{text} {note}")
    return Reply(text=text, blocks=[section(text)])


# Help ------------------------------------------------------------------------------------------


def help_reply(t: Translator) -> Reply:
    lines = [
        f"{code(t(f'help.usage.{verb.value}'))}  {say(t, f'help.summary.{verb.value}')}"
        for verb in Verb
    ]
    return Reply(
        text=say(t, "help.title"),
        blocks=[
            header(t("help.title")),
            section(say(t, "help.intro")),
            section("\n".join(lines)),
            context(say(t, "help.names"), say(t, "help.languages")),
        ],
    )


# The directory ---------------------------------------------------------------------------------


def _membership_button(t: Translator, summary: NetworkSummary) -> ButtonElement | None:
    if summary.my_status is MembershipStatus.ACTIVE:
        return button(t("button.leave"), ActionId.LEAVE, summary.ref.id)
    if summary.my_status is MembershipStatus.PENDING or summary.archived:
        return None
    if summary.join_policy is JoinPolicy.OPEN:
        return button(t("button.join"), ActionId.JOIN, summary.ref.id, style="primary")
    if summary.join_policy is JoinPolicy.REQUEST:
        return button(t("button.request"), ActionId.JOIN, summary.ref.id, style="primary")
    return None


def _standing(t: Translator, summary: NetworkSummary) -> Mrkdwn | None:
    """The reader's own place in a network: their role, or their waiting request."""
    if summary.my_status is MembershipStatus.ACTIVE and summary.my_role:
        return say(t, "network.your_role", role=t.label(summary.my_role))
    if summary.my_status is MembershipStatus.PENDING:
        return say(t, "network.your_request")
    return None


def _facts(t: Translator, summary: NetworkSummary) -> str:
    facts = [
        escape(t.label(summary.category)),
        say_count(t, "network.members", summary.member_count),
        escape(t.label(summary.join_policy)),
        _standing(t, summary),
    ]
    return " · ".join(fact for fact in facts if fact)


def _network_blocks(t: Translator, summary: NetworkSummary) -> list[Block]:
    description = shorten(summary.descriptions.in_(t.language), LIST_DESCRIPTION_LENGTH)
    text = bold(name_of(summary.ref, t)) + f"  {code(summary.ref.slug)}"
    if description:
        text += "\n" + escape(description)
    buttons = [b for b in (_membership_button(t, summary),) if b]
    buttons.append(button(t("button.info"), ActionId.INFO, summary.ref.id))
    return [section(text), context(_facts(t, summary)), ActionsBlock(elements=buttons)]


def _filters(t: Translator, category: Category | None, scopes: Sequence[Scope]) -> str:
    chosen = [t.label(category)] if category else []
    chosen += [t.label(scope) for scope in scopes]
    return say(t, "list.filters", filters=t.list(chosen)) if chosen else ""


def search_reply(t: Translator, result: SearchResult) -> Reply:
    if not result.total:
        key = "list.none" if result.query or result.category or result.scopes else "list.empty"
        return plain(t, key, query=result.query)
    if result.query:
        title = say(t, "list.title_query", query=result.query)
    else:
        title = say(t, "list.title_all")
    counted = say_count(t, "list.count", result.total)
    blocks: list[Block] = [section(f"{title} · {counted}")]
    notes = [_filters(t, result.category, result.scopes)]
    if not result.complete:
        notes.append(say(t, "list.partial"))
    if any(notes):
        blocks.append(context(*notes))
    for summary in result.networks:
        blocks.append(DividerBlock())
        blocks.extend(_network_blocks(t, summary))
    shown_to = result.offset + len(result.networks)
    footer = [say(t, "list.showing", first=result.offset + 1, last=shown_to, total=result.total)]
    blocks.append(context(*footer))
    if result.next_offset is not None:
        more = {
            "q": result.query,
            "c": result.category.value if result.category else None,
            "s": [scope.value for scope in result.scopes],
            "o": result.next_offset,
        }
        blocks.append(
            ActionsBlock(elements=[button(t("button.more"), ActionId.MORE, json.dumps(more))])
        )
    return Reply(text=Mrkdwn(f"{title} · {counted}"), blocks=blocks)


def _people(t: Translator, people: Iterable[PersonRef]) -> str:
    return t.list(escape(person.display_name) for person in people)


def _how_to_join(t: Translator, detail: NetworkDetail) -> Mrkdwn:
    summary = detail.summary
    if summary.archived:
        return say(t, "info.how.archived")
    if summary.join_policy is JoinPolicy.CLOSED:
        if detail.coordinators:
            return say(t, "info.how.closed", coordinators=Mrkdwn(_people(t, detail.coordinators)))
        return say(t, "info.how.closed_no_coordinator")
    return say(t, f"info.how.{summary.join_policy.value}", slug=summary.ref.slug)


def detail_reply(
    t: Translator,
    detail: NetworkDetail,
    calendar: str | None,
    similar: Recommendations | None = None,
) -> Reply:
    """Everything about a network; `calendar` is the address of its feed, if it is served, and
    `similar` the networks like it."""
    summary = detail.summary
    name = name_of(summary.ref, t)
    blocks: list[Block] = [header(name)]
    if summary.archived:
        blocks.append(context(say(t, "info.archived")))
    description = summary.descriptions.in_(t.language)
    if description:
        blocks.append(section(escape(description)))
    unknown = say(t, "info.unknown")
    fields = [
        (t("info.organisation"), escape(detail.coordinating_organisation or "") or unknown),
        (t("info.category"), escape(t.label(summary.category))),
        (t("info.scope"), escape(t.list(t.label(s) for s in summary.scope)) or unknown),
        (t("info.origin"), escape(t.label(detail.origin))),
        (t("info.members"), say_count(t, "network.members", summary.member_count)),
        (
            t("info.coordinators"),
            Mrkdwn(_people(t, detail.coordinators)) or say(t, "info.no_coordinators"),
        ),
        (
            t("info.channel"),
            channel_link(detail.channel_id) if detail.channel_id else say(t, "info.no_channel"),
        ),
        (t("info.slug"), code(summary.ref.slug)),
        (
            t("info.calendar"),
            say(t, "info.calendar_subscribe", url=link(calendar))
            if calendar
            else say(t, "info.calendar_unset"),
        ),
    ]
    blocks.append(
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*{escape(label)}*\n{value}") for label, value in fields
            ]
        )
    )
    notes = [say(t, "info.how_to_join") + " " + _how_to_join(t, detail), _standing(t, summary)]
    if not summary.listed:
        notes.append(say(t, "info.unlisted"))
    if detail.tags:
        notes.append(say(t, "info.tags", tags=", ".join(detail.tags)))
    if detail.source:
        notes.append(say(t, "info.source", source=detail.source))
    if detail.can_edit:
        notes.append(say(t, "info.edit_hint", slug=summary.ref.slug))
    blocks.append(context(*[note for note in notes if note][:10]))
    join_button = _membership_button(t, summary)
    if join_button:
        blocks.append(ActionsBlock(elements=[join_button]))
    if similar is not None and similar.networks:
        blocks.append(section(say(t, "similar.in_info")))
        blocks.extend(suggestion_blocks(t, similar))
    return Reply(text=escape(name), blocks=blocks)


# Joining and leaving ---------------------------------------------------------------------------


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
        "request.notice",
        person=request.requester.display_name,
        network=name_of(request.network, t),
    )
    buttons = [
        button(t("button.approve"), ActionId.APPROVE, request.membership_id, style="primary"),
        button(t("button.decline"), ActionId.DECLINE, request.membership_id, style="danger"),
    ]
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
    return plain(t, "form.invite_bot", channel=channel_link(channel_id))


def channel_join_reply(t: Translator, join: ChannelJoin) -> Reply:
    return plain(
        t,
        "channel.joined",
        network=name_of(join.network, t),
        channel=channel_link(join.channel_id),
        slug=join.network.slug,
    )


# Similar networks ------------------------------------------------------------------------------


def _reason(t: Translator, reason: Reason) -> Mrkdwn:
    if reason.kind == "topics":
        return say(t, "similar.reason.topics", topics=", ".join(reason.values))
    if reason.kind == "scope":
        labels = t.list(t.label(Scope(value)) for value in reason.values)
        return say(t, "similar.reason.scope", scope=labels)
    if reason.kind == "members":
        return say(t, "similar.reason.members", count=reason.count)
    return say(t, f"similar.reason.{reason.kind}")


def suggestion_blocks(t: Translator, found: Recommendations) -> list[Block]:
    """A short list: each network's name and why, with a button to join or to read more."""
    blocks: list[Block] = []
    for recommendation in found.networks:
        summary = recommendation.network
        why = " · ".join(_reason(t, reason) for reason in recommendation.reasons)
        text = bold(name_of(summary.ref, t)) + f"  {code(summary.ref.slug)}"
        block = section(f"{text}\n{why}" if why else text)
        block.accessory = _membership_button(t, summary) or button(
            t("button.info"), ActionId.INFO, summary.ref.id
        )
        blocks.append(block)
    return blocks


def recommendations_reply(t: Translator, found: Recommendations) -> Reply:
    """Networks like one network, or networks for the reader, each with why."""
    source = name_of(found.source, t) if found.source else None
    if not found.networks:
        return plain(t, "similar.none" if source else "suggest.none", network=source or "")
    title = say(t, "similar.title", network=source) if source else say(t, "suggest.title")
    blocks: list[Block] = [section(title)]
    for recommendation in found.networks:
        blocks.append(DividerBlock())
        blocks.extend(_network_blocks(t, recommendation.network))
        why = " · ".join(_reason(t, reason) for reason in recommendation.reasons)
        if why:
            blocks.insert(len(blocks) - 1, context(why))
    return Reply(text=title, blocks=blocks)


# What a person belongs to ----------------------------------------------------------------------


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


def settings_reply(t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency) -> Reply:
    state = t("settings.reminders_on" if reminders else "settings.reminders_off")
    return plain(
        t,
        "settings.show",
        language=t.language_name(actor.language),
        reminders=state,
        digest=t.label(digest),
    )


def reminders_set_reply(t: Translator, enabled: bool) -> Reply:
    return plain(t, "settings.reminders_set_on" if enabled else "settings.reminders_set_off")


def language_set_reply(t: Translator) -> Reply:
    return plain(t, "settings.language_set", language=t.language_name(t.language))


# Errors ----------------------------------------------------------------------------------------


def _error_param(t: Translator, key: str, value: Any) -> tuple[str, Any]:
    if key == "usage_key":
        return "usage", code(t(value))
    if key.endswith("_key"):
        return key.removesuffix("_key"), t(value)
    if isinstance(value, NetworkRef):
        return key, name_of(value, t)
    if isinstance(value, PersonRef):
        return key, value.display_name
    if isinstance(value, StrEnum):
        return key, t.label(value)
    if isinstance(value, tuple):
        return key, Mrkdwn(_people(t, value)) if value else ""
    if isinstance(value, datetime):
        return key, t.datetime(value)
    return key, value


def _choices(t: Translator, networks: Sequence[NetworkRef]) -> str:
    return "\n".join(f"• {bold(name_of(ref, t))} {code(ref.slug)}" for ref in networks)


def error_reply(t: Translator, error: VerkostoError) -> Reply:
    """The one place a domain error becomes words for the person."""
    if isinstance(error, FormInvalid):
        lines = [say(t, problem.key, **problem.params) for problem in error.problems]
        return plain(t, "error.form", problems=Mrkdwn("\n".join(lines)))
    params = dict(
        _error_param(t, k, v)
        for k, v in error.params.items()
        if k not in ("candidates", "suggestions")
    )
    text = say(t, error.key, **params)
    if isinstance(error, Ambiguous):
        text = Mrkdwn(f"{text}\n{_choices(t, error.params['candidates'])}")
    if isinstance(error, NotFound) and error.params.get("suggestions"):
        suggestions = _choices(t, error.params["suggestions"])
        text = Mrkdwn(f"{text} {say(t, 'error.suggestions')}\n{suggestions}")
    return Reply(text=text, blocks=[section(text)])
