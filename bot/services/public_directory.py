"""The public web directory: the networks their coordinators published, of every workspace and
tenant the deployment serves, for anyone to find. Counts and organisations only, never a person.

A network is public when it is published, listed and not archived; anything else is answered
exactly as a network that does not exist. The published networks are held in memory and read
again only when some workspace's networks version has changed (one indexed query tells);
member counts and events are read for the page asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import ics
from bot.clock import Clock
from bot.domain import EventStatus, Platform, Scope
from bot.errors import NotFound
from bot.results.directory import (
    PublicDetail,
    PublicEvent,
    PublicEvents,
    PublicFilters,
    PublicNetwork,
    PublicPage,
    PublicSimilar,
)
from bot.results.refs import Localized
from bot.search import Searchable, rank
from bot.services.mapping import searchable
from bot.services.recommendations import RecommendationService
from storage.database import Database
from storage.models import Event, Network, Workspace
from storage.store import Store

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SIMILAR = 3
# Similar networks are picked from the recommender's best this many, the unpublished left out.
SIMILAR_CANDIDATES = 20
EVENTS_ON_PAGE = 20
# A feed keeps recent past events, so that a calendar that syncs late still sees them.
FEED_HISTORY = timedelta(days=90)
# Searches remembered per version of the published networks.
REMEMBERED_SEARCHES = 1024


@dataclass(frozen=True)
class _Published:
    """The published networks as of one version of every workspace's networks."""

    version: tuple[tuple[int, str], ...]
    networks: tuple[PublicNetwork, ...]
    by_id: dict[int, PublicNetwork]
    by_key: dict[str, PublicNetwork]
    searchable: dict[int, Searchable]
    workspace_of: dict[int, int]


class PublicDirectory:
    """What the web directory shows and the open data answers: only published networks, only
    counts and organisations."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        recommendations: RecommendationService,
        language: str,
    ) -> None:
        self._db = db
        self._clock = clock
        self._recommendations = recommendations
        self._language = language
        self._published: _Published | None = None
        self._searches: dict[tuple[object, ...], tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def search(
        self, filters: PublicFilters, offset: int = 0, limit: int | None = PAGE_SIZE
    ) -> PublicPage:
        """The published networks that match every word of the query (as `network list`
        matches them, in every language) and the filters; one page of them (`limit` None:
        all of them, for a download)."""
        with self._db.snapshot() as store:
            published = self._current(store)
            found = self._found(published, filters)
            limit = len(found) if limit is None else max(1, min(limit, MAX_PAGE_SIZE))
            page = [published.by_id[key] for key in found[offset : offset + limit]]
            return PublicPage(filters, self._completed(store, page), len(found), offset, limit)

    def network(self, key: str) -> PublicDetail:
        """A published network's page. Raises `NotFound` for any other network."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            published = self._current(store)
            network = self._by_key(store, key)
            events = store.events.public_upcoming(now, [network.id], limit=EVENTS_ON_PAGE)
            similar = self._similar(store, published, network)
            shown = self._completed(store, [network, *(like.network for like in similar)])
            return PublicDetail(
                network=shown[0],
                events=tuple(_public_event(event, network) for event in events),
                similar=tuple(
                    PublicSimilar(counted, like.reasons)
                    for counted, like in zip(shown[1:], similar, strict=True)
                ),
            )

    def events(self, offset: int = 0, limit: int = PAGE_SIZE) -> PublicEvents:
        """One page of the upcoming events of every published network, soonest first."""
        limit = max(1, min(limit, MAX_PAGE_SIZE))
        now = self._clock.now()
        with self._db.snapshot() as store:
            published = self._current(store)
            events = store.events.public_upcoming(now, offset=offset, limit=limit)
            total = store.events.public_upcoming_count(now)
            shown = tuple(
                _public_event(event, published.by_id[event.network_id])
                for event in events
                if event.network_id in published.by_id
            )
            return PublicEvents(shown, total, offset, limit)

    def network_calendar(self, key: str) -> bytes:
        """A published network's calendar feed (recent and upcoming events; cancelled ones
        stay, so that calendars take them away). Raises `NotFound`."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network = self._by_key(store, key)
            events = store.events.public_since(now - FEED_HISTORY, now, network.id)
            shown = [_public_event(event, network) for event in events]
            return ics.calendar(network.names.in_(self._language) or network.slug, shown, now)

    def event_file(self, key: str, event_id: int) -> bytes:
        """One announced event of a published network, to open in a calendar. Raises
        `NotFound`."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network = self._by_key(store, key)
            events = store.events.public_since(now - FEED_HISTORY, now, network.id)
            event = next((event for event in events if event.id == event_id), None)
            if event is None:
                raise NotFound("web.not_found")
            return ics.calendar(event.title, [_public_event(event, network)], now)

    def events_calendar(self, name: str) -> bytes:
        """The recent and upcoming events of every published network, as one calendar feed
        (cancelled ones stay, so that calendars take them away)."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            published = self._current(store)
            events = store.events.public_since(now - FEED_HISTORY, now)
            shown = [
                _public_event(event, published.by_id[event.network_id])
                for event in events
                if event.network_id in published.by_id
            ]
            return ics.calendar(name, shown, now)

    # What is held in memory --------------------------------------------------------------------

    def _by_key(self, store: Store, key: str) -> PublicNetwork:
        network = self._current(store).by_key.get(key)
        if network is None:
            raise NotFound("web.not_found")
        return network

    def _current(self, store: Store) -> _Published:
        """The published networks as `store` sees them; read again only if some workspace's
        networks have changed."""
        version = tuple(
            (workspace.id, workspace.networks_version) for workspace in store.workspaces.all()
        )
        with self._lock:
            cached = self._published
        if cached is not None and cached.version == version:
            return cached
        published = _read(version, store.networks.published())
        with self._lock:
            self._published = published
            self._searches = {}
        return published

    def _found(self, published: _Published, filters: PublicFilters) -> tuple[int, ...]:
        """The ids of the networks that match, best first; remembered per version."""
        remembered = (published.version, filters)
        with self._lock:
            found = self._searches.get(remembered)
        if found is not None:
            return found
        candidates = [
            published.searchable[network.id]
            for network in published.networks
            if (filters.category is None or network.category is filters.category)
            and (filters.origin is None or network.origin is filters.origin)
            and all(scope in network.scope for scope in filters.scopes)
        ]
        found = rank(filters.query, candidates).keys
        with self._lock:
            if len(self._searches) >= REMEMBERED_SEARCHES:
                self._searches.clear()
            self._searches[remembered] = found
        return found

    def _completed(
        self, store: Store, networks: Sequence[PublicNetwork]
    ) -> tuple[PublicNetwork, ...]:
        """`networks` with their member counts and next events, as of now."""
        if not networks:
            return ()
        ids = [network.id for network in networks]
        counts = store.memberships.active_counts(only=ids)
        upcoming: dict[int, Event] = {}
        for event in store.events.public_upcoming(self._clock.now(), ids):
            upcoming.setdefault(event.network_id, event)
        return tuple(
            replace(
                network,
                member_count=counts.get(network.id, 0),
                next_event=(
                    _public_event(upcoming[network.id], network) if network.id in upcoming else None
                ),
            )
            for network in networks
        )

    def _similar(
        self, store: Store, published: _Published, network: PublicNetwork
    ) -> list[PublicSimilar]:
        """The published networks of its own workspace most like `network`, with the reasons."""
        picked = self._recommendations.like_network(
            store, published.workspace_of[network.id], network.id, SIMILAR_CANDIDATES
        )
        found = [
            PublicSimilar(published.by_id[pick.network.ref.id], pick.reasons)
            for pick in picked
            if pick.network.ref.id in published.by_id
        ]
        return found[:SIMILAR]


def web_address(slug: str, network_id: int, shared: bool) -> str:
    """A published network's address on the directory: its short name, or where an older
    published network of another workspace has the same one (`shared`), the short name and its id
    (`~` never occurs in a short name)."""
    return f"{slug}~{network_id}" if shared else slug


def _read(
    version: tuple[tuple[int, str], ...], rows: Sequence[tuple[Network, Workspace]]
) -> _Published:
    """The published networks of `rows` (oldest first), each with its `web_address`."""
    taken: set[str] = set()
    networks = []
    for network, workspace in rows:
        key = web_address(network.slug, network.id, shared=network.slug in taken)
        taken.add(network.slug)
        networks.append(_public_network(network, workspace, key))
    return _Published(
        version=version,
        networks=tuple(networks),
        by_id={network.id: network for network in networks},
        by_key={network.key: network for network in networks},
        searchable={network.id: searchable(network) for network, _ in rows},
        workspace_of={network.id: network.workspace_id for network, _ in rows},
    )


def _public_network(network: Network, workspace: Workspace, key: str) -> PublicNetwork:
    return PublicNetwork(
        id=network.id,
        key=key,
        slug=network.slug,
        names=Localized(fi=network.name_fi, en=network.name_en, sv=network.name_sv),
        descriptions=Localized(
            fi=network.description_fi, en=network.description_en, sv=network.description_sv
        ),
        organisation=network.coordinating_organisation,
        category=network.category,
        scope=tuple(Scope(value) for value in network.scope),
        origin=network.origin,
        tags=tuple(network.tags),
        source=network.source,
        join_policy=network.join_policy,
        platform=Platform(workspace.platform),
        workspace=workspace.team_id,
    )


def _public_event(event: Event, network: PublicNetwork) -> PublicEvent:
    return PublicEvent(
        id=event.id,
        network_key=network.key,
        network_names=network.names,
        title=event.title,
        description=event.description,
        place=event.place,
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        cancelled=event.status is EventStatus.CANCELLED,
        revision=event.revision,
    )
