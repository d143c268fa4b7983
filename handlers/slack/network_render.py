"""Networks in Slack: search results, a network's details, and networks worth knowing."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.card_actions import network_action, suggestion_actions
from bot.domain import Category, JoinPolicy, MembershipStatus, Scope
from bot.i18n import Translator
from bot.reasons import reason_message
from bot.results.networks import NetworkDetail, NetworkSummary, SearchResult
from bot.results.recommendations import Reason, Recommendations
from bot.results.refs import NetworkRef
from bot.text import shorten
from handlers.slack.blocks import (
    LIST_DESCRIPTION_LENGTH,
    ActionId,
    Reply,
    action_button,
    button,
    context,
    header,
    name_of,
    names_of,
    plain,
    section,
)
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    code,
    escape,
    link,
    say,
    say_count,
)
from handlers.web.directory.links import WebNote


def _membership_button(t: Translator, summary: NetworkSummary) -> ButtonElement | None:
    action = network_action(summary)
    return action_button(t, action) if action else None


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


def _network_blocks(t: Translator, summary: NetworkSummary, suggested: bool = False) -> list[Block]:
    """A network in a list; a suggested one can also be turned down."""
    description = shorten(summary.descriptions.in_(t.language), LIST_DESCRIPTION_LENGTH)
    text = bold(name_of(summary.ref, t)) + f"  {code(summary.ref.slug)}"
    if description:
        text += "\n" + escape(description)
    buttons = [b for b in (_membership_button(t, summary),) if b]
    buttons.append(button(t("button.info"), ActionId.INFO, summary.ref.id))
    if suggested:
        buttons.append(_not_interested_button(t, summary))
    return [section(text), context(_facts(t, summary)), ActionsBlock(elements=buttons)]


def _not_interested_button(t: Translator, summary: NetworkSummary) -> ButtonElement:
    """The last of what a suggestion offers (`suggestion_actions`): saying one is not
    interested; the first, joining, is the section's own button."""
    *_, not_interested = suggestion_actions(summary)
    return action_button(t, not_interested)


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


def _how_to_join(t: Translator, detail: NetworkDetail) -> Mrkdwn:
    summary = detail.summary
    if summary.archived:
        return say(t, "info.how.archived")
    if summary.join_policy is JoinPolicy.CLOSED:
        if detail.coordinators:
            return say(t, "info.how.closed", coordinators=Mrkdwn(names_of(t, detail.coordinators)))
        return say(t, "info.how.closed_no_coordinator")
    return say(t, f"info.how.{summary.join_policy.value}", slug=summary.ref.slug)


def detail_reply(
    t: Translator,
    detail: NetworkDetail,
    calendar: str | None,
    similar: Recommendations | None = None,
    web: WebNote | None = None,
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
            Mrkdwn(names_of(t, detail.coordinators)) or say(t, "info.no_coordinators"),
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
    if web:
        notes.append(say(t, web.key, url=link(web.page) if web.page else None))
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


def _reason(t: Translator, reason: Reason) -> Mrkdwn:
    key, params = reason_message(t, reason)
    return say(t, key, **params)


def suggestion_blocks(t: Translator, found: Recommendations, refusable: bool = True) -> list[Block]:
    """A short list: each network's name and why, with a button to join or to read more, and
    (where it is the reader's own list, `refusable`) one to say they are not interested."""
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
        if refusable:
            blocks.append(ActionsBlock(elements=[_not_interested_button(t, summary)]))
    return blocks


def not_interested_reply(t: Translator, network: NetworkRef) -> Reply:
    """The network will not be suggested to the person again."""
    return plain(t, "suggestion.not_interested", network=name_of(network, t))


def recommendations_reply(t: Translator, found: Recommendations) -> Reply:
    """Networks like one network, or networks for the reader, each with why."""
    source = name_of(found.source, t) if found.source else None
    if not found.networks:
        return plain(t, "similar.none" if source else "suggest.none", network=source or "")
    title = say(t, "similar.title", network=source) if source else say(t, "suggest.title")
    blocks: list[Block] = [section(title)]
    for recommendation in found.networks:
        blocks.append(DividerBlock())
        blocks.extend(_network_blocks(t, recommendation.network, suggested=True))
        why = " · ".join(_reason(t, reason) for reason in recommendation.reasons)
        if why:
            blocks.insert(len(blocks) - 1, context(why))
    return Reply(text=title, blocks=blocks)


# What a person belongs to ----------------------------------------------------------------------
