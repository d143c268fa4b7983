"""Turning stored rows into the results services return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Category, JoinPolicy, Scope
from bot.results.networks import NetworkSummary
from bot.results.people import Recipient
from bot.results.refs import Localized, NetworkRef, PersonRef
from bot.search import Searchable
from bot.services.people import Defaults
from storage.models import Membership, Network, Person


def network_ref(network: Network) -> NetworkRef:
    return NetworkRef(
        id=network.id,
        slug=network.slug,
        names=Localized(fi=network.name_fi, en=network.name_en, sv=network.name_sv),
    )


def summarize(
    network: Network, member_count: int, membership: Membership | None = None
) -> NetworkSummary:
    return NetworkSummary(
        ref=network_ref(network),
        descriptions=Localized(
            fi=network.description_fi, en=network.description_en, sv=network.description_sv
        ),
        category=Category(network.category),
        scope=tuple(Scope(value) for value in network.scope),
        join_policy=JoinPolicy(network.join_policy),
        member_count=member_count,
        listed=network.listed,
        archived=network.archived,
        published=network.published,
        my_status=membership.status if membership else None,
        my_role=membership.role if membership else None,
    )


def searchable(network: Network) -> Searchable:
    return Searchable.of(
        key=network.id,
        slug=network.slug,
        names=(network.name_fi, network.name_en, network.name_sv),
        tags=network.tags,
        texts=(
            network.description_fi,
            network.description_en,
            network.description_sv,
            network.coordinating_organisation,
        ),
    )


def person_ref(person: Person) -> PersonRef:
    return PersonRef(user_id=person.user_id, display_name=person.display_name)


def recipient(person: Person, defaults: Defaults) -> Recipient:
    """The person as someone to write to, in their language or else the default one."""
    return Recipient(
        user_id=person.user_id,
        display_name=person.display_name,
        language=person.language or defaults.language,
        timezone=person.timezone or defaults.timezone,
    )


def apply_changes(row: Any, values: dict[str, Any], now: datetime) -> list[str]:
    """Set the values that differ from what a row holds; the names of those it changed."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.updated_at = now
    return changed
