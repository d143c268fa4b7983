"""Each workspace's networks held in memory as name lookup and the recommender need them.

Reading and folding ten thousand networks on every command would cost a second; instead the
catalog is read again only when the workspace's networks version has changed (a network created
or edited, by this process or another), which one indexed query tells. Nothing here decides
anything on its own: a stale catalog is never used, so several processes may each hold one.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.results.networks import NetworkSummary
from bot.search import Searchable
from bot.services.mapping import searchable, summarize
from bot.similarity import Profile
from storage.models import Network
from storage.store import Store


def _texts(network: Network) -> tuple[str | None, ...]:
    """A network's names and descriptions in every language."""
    return (
        network.name_fi,
        network.name_en,
        network.name_sv,
        network.description_fi,
        network.description_en,
        network.description_sv,
    )


def _fields(network: Network) -> tuple[object, ...]:
    """Everything an entry is made of, as stored."""
    return (
        network.id,
        network.slug,
        *_texts(network),
        network.coordinating_organisation,
        tuple(network.tags),
        network.category.value,
        tuple(network.scope),
        network.listed,
        network.archived,
        network.join_policy.value,
    )


def profile(network: Network) -> Profile:
    """What the recommender knows of a network."""
    return Profile.of(
        id=network.id,
        texts={
            "fi": (network.name_fi, network.description_fi),
            "sv": (network.name_sv, network.description_sv),
            "en": (network.name_en, network.description_en),
        },
        tags=network.tags,
        category=network.category.value,
        scope=network.scope,
        organisation=network.coordinating_organisation,
    )


@dataclass(frozen=True)
class Entry:
    """One network, as found by name and compared with others."""

    id: int
    listed: bool
    archived: bool
    searchable: Searchable
    profile: Profile
    # As listed for someone who is not in it, with no member count.
    summary: NetworkSummary

    @property
    def is_open(self) -> bool:
        """Listed and not archived: a network that may be recommended."""
        return self.listed and not self.archived


@dataclass(frozen=True)
class Catalog:
    """A workspace's networks as of one networks version, ordered by slug."""

    version: str
    entries: tuple[Entry, ...]
    by_id: Mapping[int, Entry]
    # Of what the topic model is built from, so that an edit of (say) the join policy does not
    # rebuild it.
    topic_fingerprint: int
    listed: tuple[Searchable, ...]
    unlisted: tuple[Entry, ...]

    def findable(self, is_workspace_admin: bool, mine: Collection[int]) -> Sequence[Searchable]:
        """What a person may find by name: listed networks, and unlisted ones they are in (all,
        for a workspace admin)."""
        if is_workspace_admin:
            return [entry.searchable for entry in self.entries]
        theirs = [entry.searchable for entry in self.unlisted if entry.id in mine]
        return [*self.listed, *theirs] if theirs else self.listed


class NetworkCatalog:
    """The catalog of each workspace, current as of the store it is asked through."""

    def __init__(self) -> None:
        self._catalogs: dict[int, Catalog] = {}
        # The entries of the last catalog by what they were made of: after one edit, the other
        # networks' texts need not be folded again.
        self._made_of: dict[int, dict[tuple[object, ...], Entry]] = {}
        self._lock = threading.Lock()

    def of(self, store: Store, workspace_id: int) -> Catalog:
        """The workspace's catalog as `store` sees it; read again only if it has changed.

        Ask before writing a network in the same transaction: a catalog read from uncommitted
        rows is kept only under that transaction's own version, which no later one reuses."""
        key = ("networks_version", workspace_id)
        if key not in store.read_once:
            store.read_once[key] = store.workspaces.networks_version(workspace_id)
        version = store.read_once[key]
        with self._lock:
            cached = self._catalogs.get(workspace_id)
        if cached is not None and cached.version == version:
            return cached
        earlier = self._made_of.get(workspace_id, {})
        made_of = {}
        for network in store.networks.all_in(workspace_id):
            fields = _fields(network)
            made_of[fields] = earlier.get(fields) or Entry(
                network.id,
                network.listed,
                network.archived,
                searchable(network),
                profile(network),
                summarize(network, 0),
            )
        entries = tuple(made_of.values())
        catalog = Catalog(
            version=version,
            entries=entries,
            by_id={entry.id: entry for entry in entries},
            topic_fingerprint=hash(tuple(entry.profile for entry in entries)),
            listed=tuple(entry.searchable for entry in entries if entry.listed),
            unlisted=tuple(entry for entry in entries if not entry.listed),
        )
        with self._lock:
            self._catalogs[workspace_id] = catalog
            self._made_of[workspace_id] = made_of
        return catalog
