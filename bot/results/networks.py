"""Networks as lists, searches and details show them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import (
    Category,
    JoinPolicy,
    MembershipStatus,
    Origin,
    Role,
    Scope,
)
from bot.results.refs import Localized, NetworkRef, PersonRef


@dataclass(frozen=True)
class NetworkSummary:
    """A network in a list, with the viewer's own standing in it."""

    ref: NetworkRef
    descriptions: Localized
    category: Category
    scope: tuple[Scope, ...]
    join_policy: JoinPolicy
    member_count: int
    listed: bool
    archived: bool
    published: bool = False
    my_status: MembershipStatus | None = None
    my_role: Role | None = None

    @property
    def is_member(self) -> bool:
        return self.my_status is MembershipStatus.ACTIVE


@dataclass(frozen=True)
class NetworkDetail:
    """Everything `info` shows about a network."""

    summary: NetworkSummary
    coordinating_organisation: str | None
    origin: Origin
    tags: tuple[str, ...]
    source: str | None
    channel_id: str | None
    coordinators: tuple[PersonRef, ...]
    can_edit: bool
    calendar_token: str
    # Its address on the public web directory, when it is published, listed and not archived
    # (whether or not this deployment serves the directory).
    web_address: str | None


@dataclass(frozen=True)
class SearchResult:
    """One page of a directory search."""

    query: str
    category: Category | None
    scopes: tuple[Scope, ...]
    networks: tuple[NetworkSummary, ...]
    total: int
    offset: int
    complete: bool = True

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.networks)
        return following if following < self.total else None
