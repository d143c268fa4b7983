"""The public web directory's view of the published networks: counts and organisations only,
never a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Category, JoinPolicy, Origin, Platform, Scope
from bot.results.recommendations import Reason
from bot.results.refs import Localized


@dataclass(frozen=True)
class PublicEvent:
    """An announced event of a published network, as anyone may see it (and as `bot.ics`
    writes it). Its online meeting's `link` is never shown: that is for the network's members,
    in chat, not for the open web."""

    id: int
    network_key: str
    network_names: Localized
    title: str
    description: str | None
    place: str | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    revision: int
    link: None = None


@dataclass(frozen=True)
class PublicNetwork:
    """A published network. `key` is its address on the web: its short name, or where an older
    network of another workspace has that one, the short name and its id. `workspace` is the
    Slack team or Teams tenant where one joins it, on `platform`."""

    id: int
    key: str
    slug: str
    names: Localized
    descriptions: Localized
    organisation: str | None
    category: Category
    scope: tuple[Scope, ...]
    origin: Origin
    tags: tuple[str, ...]
    source: str | None
    join_policy: JoinPolicy
    platform: Platform
    workspace: str
    member_count: int = 0
    next_event: PublicEvent | None = None


@dataclass(frozen=True)
class PublicFilters:
    """What a search asks for: words, a category, who takes part (all of them), an origin."""

    query: str = ""
    category: Category | None = None
    scopes: tuple[Scope, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True)
class PublicPage:
    """One page of the published networks that match `filters`."""

    filters: PublicFilters
    networks: tuple[PublicNetwork, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class PublicSimilar:
    """A published network like another, and why."""

    network: PublicNetwork
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class PublicDetail:
    """A published network's page: the network, its upcoming events, networks like it."""

    network: PublicNetwork
    events: tuple[PublicEvent, ...]
    similar: tuple[PublicSimilar, ...]


@dataclass(frozen=True)
class PublicEvents:
    """One page of the upcoming events of every published network, soonest first."""

    events: tuple[PublicEvent, ...]
    total: int
    offset: int
    limit: int
