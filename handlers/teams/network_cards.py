"""Networks in Teams: search results, a network's details, networks worth knowing, and what
joining and leaving tell the person."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import CardElement, Container

from bot.card_actions import network_action, suggestion_actions
from bot.domain import JoinPolicy, MembershipStatus
from bot.i18n import Translator
from bot.reasons import reason_message
from bot.results.memberships import JoinOutcome, LeaveKind, LeaveOutcome, MembershipView
from bot.results.networks import NetworkDetail, NetworkSummary, SearchResult
from bot.results.recommendations import Reason, Recommendations
from bot.results.refs import NetworkRef
from bot.text import shorten
from handlers.teams.cards import (
    Message,
    action_elements,
    code,
    facts,
    heading,
    message,
    name_of,
    names_of,
    plain,
    say,
    strong,
    text,
)
from handlers.web.directory.links import WebNote

DESCRIPTION_LENGTH = 280


def _standing(t: Translator, summary: NetworkSummary) -> str | None:
    if summary.my_status is MembershipStatus.ACTIVE and summary.my_role:
        return say(t, "network.your_role", role=t.label(summary.my_role))
    if summary.my_status is MembershipStatus.PENDING:
        return say(t, "network.your_request")
    return None


def _summary_facts(t: Translator, summary: NetworkSummary) -> str:
    found = [
        t.label(summary.category),
        say(t, "network.members", count=summary.member_count),
        t.label(summary.join_policy),
        _standing(t, summary),
    ]
    return " · ".join(fact for fact in found if fact)


def _network_elements(
    t: Translator,
    summary: NetworkSummary,
    why: str | None = None,
    suggested: bool = False,
    on: str = "",
) -> list[CardElement]:
    """A network in a list; a suggested one can also be turned down. `on` tells the buttons
    which card they are on."""
    title = f"{strong(name_of(summary.ref, t))}  {code(summary.ref.slug)}"
    body: list[CardElement] = [text(title)]
    description = shorten(summary.descriptions.in_(t.language), DESCRIPTION_LENGTH)
    if description:
        body.append(text(description))
    body.append(text(_summary_facts(t, summary), subtle=True))
    if why:
        body.append(text(why, subtle=True))
    if suggested:
        body.extend(action_elements(t, suggestion_actions(summary), on=on))
    else:
        action = network_action(summary)
        body.extend(action_elements(t, [action] if action else []))
    return [Container(items=body, separator=True, spacing="Medium")]


def search_message(t: Translator, result: SearchResult) -> Message:
    if not result.total:
        key = "list.none" if result.query or result.category or result.scopes else "list.empty"
        return plain(t, key, query=result.query)
    title = (
        say(t, "list.title_query", query=result.query) if result.query else say(t, "list.title_all")
    )
    counted = say(t, "list.count", count=result.total)
    body: list[CardElement] = [text(f"{title} · {counted}")]
    if not result.complete:
        body.append(text(say(t, "list.partial"), subtle=True))
    for summary in result.networks:
        body.extend(_network_elements(t, summary))
    shown_to = result.offset + len(result.networks)
    body.append(
        text(
            say(t, "list.showing", first=result.offset + 1, last=shown_to, total=result.total),
            subtle=True,
        )
    )
    return message(f"{title} · {counted}", *body)


def _how_to_join(t: Translator, detail: NetworkDetail) -> str:
    summary = detail.summary
    if summary.archived:
        return say(t, "info.how.archived")
    if summary.join_policy is JoinPolicy.CLOSED:
        if detail.coordinators:
            return say(t, "info.how.closed", coordinators=names_of(t, detail.coordinators))
        return say(t, "info.how.closed_no_coordinator")
    return say(t, f"info.how.{summary.join_policy.value}", slug=summary.ref.slug)


def detail_message(
    t: Translator,
    detail: NetworkDetail,
    calendar: str | None,
    similar: Recommendations | None,
    web: WebNote | None = None,
) -> Message:
    """Everything about a network; `calendar` is its feed's address, if it is served."""
    summary = detail.summary
    name = name_of(summary.ref, t)
    body: list[CardElement] = [heading(name)]
    if summary.archived:
        body.append(text(say(t, "info.archived"), subtle=True))
    description = summary.descriptions.in_(t.language)
    if description:
        body.append(text(description))
    unknown = say(t, "info.unknown")
    body.append(
        facts(
            [
                (t("info.organisation"), detail.coordinating_organisation or unknown),
                (t("info.category"), t.label(summary.category)),
                (t("info.scope"), t.list(t.label(s) for s in summary.scope) or unknown),
                (t("info.origin"), t.label(detail.origin)),
                (t("info.members"), say(t, "network.members", count=summary.member_count)),
                (
                    t("info.coordinators"),
                    names_of(t, detail.coordinators) or say(t, "info.no_coordinators"),
                ),
                (t("info.slug"), summary.ref.slug),
                (
                    t("info.calendar"),
                    say(t, "info.calendar_subscribe", url=calendar)
                    if calendar
                    else say(t, "info.calendar_unset"),
                ),
            ]
        )
    )
    notes = [say(t, "info.how_to_join") + " " + _how_to_join(t, detail), _standing(t, summary)]
    if detail.channel_id:
        notes.append(say(t, "teams.channel_note"))
    if not summary.listed:
        notes.append(say(t, "info.unlisted"))
    if web:
        notes.append(say(t, web.key, url=web.page))
    if detail.tags:
        notes.append(say(t, "info.tags", tags=", ".join(detail.tags)))
    if detail.source:
        notes.append(say(t, "info.source", source=detail.source))
    if detail.can_edit:
        notes.append(say(t, "info.edit_hint", slug=summary.ref.slug))
    body.extend(text(note, subtle=True) for note in notes if note)
    action = network_action(summary)
    body.extend(action_elements(t, [action] if action else []))
    if similar is not None and similar.networks:
        body.append(text(say(t, "similar.in_info")))
        body.extend(suggestions(t, similar))
    return message(name, *body)


def _reason(t: Translator, reason: Reason) -> str:
    key, params = reason_message(t, reason)
    return say(t, key, **params)


def suggestions(
    t: Translator, found: Recommendations, on: str = "", refusable: bool = True
) -> list[CardElement]:
    """Each network with why it is suggested, its join (or request) button, and (where it is
    the reader's own list, `refusable`) one to say they are not interested; `on` tells the
    buttons which card they are on."""
    body: list[CardElement] = []
    for recommendation in found.networks:
        why = " · ".join(_reason(t, reason) for reason in recommendation.reasons)
        network = recommendation.network
        body.extend(_network_elements(t, network, why or None, suggested=refusable, on=on))
    return body


def not_interested_message(t: Translator, network: NetworkRef) -> Message:
    """The network will not be suggested to the person again."""
    return plain(t, "suggestion.not_interested", network=name_of(network, t))


def recommendations_message(t: Translator, found: Recommendations) -> Message:
    """Networks like one network, or networks for the reader, each with why."""
    source = name_of(found.source, t) if found.source else None
    if not found.networks:
        return plain(t, "similar.none" if source else "suggest.none", network=source or "")
    title = say(t, "similar.title", network=source) if source else say(t, "suggest.title")
    return message(title, text(title), *suggestions(t, found))


def joined_message(t: Translator, outcome: JoinOutcome, also: Recommendations | None) -> Message:
    """Welcome to the network, where its conversation is, and networks one may also like."""
    words = say(t, "join.done", network=name_of(outcome.network, t))
    body: list[CardElement] = [text(words)]
    if outcome.channel_id:
        body.append(text(say(t, "teams.channel_note"), subtle=True))
    if also is not None and also.networks:
        body.append(text(say(t, "similar.also")))
        body.extend(suggestions(t, also))
    return message(words, *body)


def requested_message(t: Translator, outcome: JoinOutcome) -> Message:
    key = "join.requested" if outcome.deciders else "join.requested_nobody"
    return plain(t, key, network=name_of(outcome.network, t))


def left_message(t: Translator, outcome: LeaveOutcome) -> Message:
    key = "leave.done" if outcome.kind is LeaveKind.LEFT else "leave.withdrawn"
    return plain(t, key, network=name_of(outcome.network, t))


def memberships_message(t: Translator, memberships: Sequence[MembershipView]) -> Message:
    if not memberships:
        return plain(t, "mine.none")
    pairs = []
    for view in memberships:
        if view.status is MembershipStatus.PENDING:
            standing = say(t, "mine.pending", date=t.date(view.since))
        else:
            standing = say(t, "mine.member", role=t.label(view.role), date=t.date(view.since))
        pairs.append((f"{name_of(view.network, t)} ({view.network.slug})", standing))
    title = say(t, "mine.title", count=len(memberships))
    return message(title, text(title), facts(pairs))
