"""The network form in Teams: a dialog to create or edit a network, and reading what was
submitted. Opened in a channel, it offers that channel as the network's conversation (Teams
has no channel picker in a card)."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import CardElement

from bot.commands import MAX_NAME_LENGTH
from bot.domain import Category, JoinPolicy, Origin, Scope
from bot.i18n import Translator
from bot.results.networks import NetworkDetail
from bot.services.network_fields import MAX_DESCRIPTION_LENGTH, MAX_ORGANISATION_LENGTH
from handlers.teams.cards import say, text
from handlers.teams.dialogs import (
    Errors,
    Values,
    choice_field,
    enum_choices,
    flag_field,
    flag_value,
    many_values,
    text_field,
    text_value,
)

FORM = "network"
PREFIX = "form"
NAMES = ("name_fi", "name_en", "name_sv")
DESCRIPTIONS = ("description_fi", "description_en", "description_sv")
FIELDS = (
    *NAMES,
    "slug",
    "category",
    *DESCRIPTIONS,
    "coordinating_organisation",
    "scope",
    "tags",
    "join_policy",
    "listed",
    "published",
    "members_may_announce",
    "use_channel",
    "origin",
    "source",
    "archived",
)


def network_form(
    t: Translator,
    values: Values,
    errors: Errors,
    *,
    editing: bool,
    channel: str | None,
) -> list[CardElement]:
    """The form's fields, filled with `values`, each problem of `errors` under its field.
    `channel` is the conversation it was opened in, if that is a channel."""
    body: list[CardElement] = [text(say(t, "form.intro"))]
    for field in NAMES:
        body += text_field(t, PREFIX, field, values, errors, limit=MAX_NAME_LENGTH)
    if editing:
        body.append(
            text(say(t, "form.slug_fixed", slug=str(values.get("slug") or "")), subtle=True)
        )
    else:
        body += text_field(t, PREFIX, "slug", values, errors, limit=64, hint="form.slug_hint")
    categories = enum_choices(t, Category)
    body += choice_field(t, PREFIX, "category", categories, values, errors, required=True)
    for field in DESCRIPTIONS:
        body += text_field(
            t, PREFIX, field, values, errors, limit=MAX_DESCRIPTION_LENGTH, multiline=True
        )
    body += text_field(
        t, PREFIX, "coordinating_organisation", values, errors, limit=MAX_ORGANISATION_LENGTH
    )
    body += choice_field(t, PREFIX, "scope", enum_choices(t, Scope), values, errors, many=True)
    tags = values.get("tags")
    shown_tags = {**values, "tags": ", ".join(tags) if isinstance(tags, list | tuple) else tags}
    body += text_field(t, PREFIX, "tags", shown_tags, errors, limit=500, hint="form.tags_hint")
    policies = enum_choices(t, JoinPolicy)
    body += choice_field(
        t, PREFIX, "join_policy", policies, values, errors, expanded=True, required=True
    )
    body += flag_field(t, PREFIX, "listed", bool(values.get("listed", True)), errors)
    body += flag_field(t, PREFIX, "published", bool(values.get("published", False)), errors)
    announce = bool(values.get("members_may_announce", False))
    body += flag_field(t, PREFIX, "members_may_announce", announce, errors)
    if channel is not None:
        linked = values.get("channel_id") == channel
        body += flag_field(t, "teams", "use_channel", linked, errors)
    body += choice_field(t, PREFIX, "origin", enum_choices(t, Origin), values, errors)
    body += text_field(t, PREFIX, "source", values, errors, limit=500, hint="form.source_hint")
    if editing:
        body += flag_field(t, PREFIX, "archived", bool(values.get("archived")), errors)
    return body


def submitted_network(data: Values, current: Values | None, channel: str | None) -> dict[str, Any]:
    """The submitted form as plain values for `NetworkForm`. The channel stays as it was unless
    the form was opened in a channel and says to use it (or no longer to)."""
    values: dict[str, Any] = {field: text_value(data, field) for field in (*NAMES, *DESCRIPTIONS)}
    tags = text_value(data, "tags")
    linked = (current or {}).get("channel_id")
    if channel is not None:
        if flag_value(data, "use_channel"):
            linked = channel
        elif linked == channel:
            linked = None
    values.update(
        coordinating_organisation=text_value(data, "coordinating_organisation"),
        slug=text_value(data, "slug") if current is None else current.get("slug"),
        category=text_value(data, "category"),
        origin=text_value(data, "origin") or Origin.UNKNOWN.value,
        join_policy=text_value(data, "join_policy") or JoinPolicy.OPEN.value,
        scope=many_values(data, "scope"),
        tags=[tag.strip() for tag in tags.split(",") if tag.strip()] if tags else [],
        listed=flag_value(data, "listed"),
        published=flag_value(data, "published"),
        members_may_announce=flag_value(data, "members_may_announce"),
        archived=flag_value(data, "archived"),
        channel_id=linked,
        source=text_value(data, "source"),
    )
    return values


def saved_words(t: Translator, detail: NetworkDetail, created: bool) -> str:
    summary = detail.summary
    name = summary.ref.names.in_(t.language) or summary.ref.slug
    return say(t, "form.created" if created else "form.saved", network=name, slug=summary.ref.slug)
