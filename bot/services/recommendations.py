"""Similar networks: for a network, and for a person from everything they belong to.

The networks come from the workspace's catalog (read again only after a network was created or
edited) and the topic model is rebuilt when their texts change; who is in which network is
counted by the database on each request, so joining shows at once.

What a person is shown is recorded (which network, when; no text), and so is what they did with
it: joined or opened it soon after (`bot.domain.TAKE_UP_WINDOW`), or said they are not
interested, which hides it from them for good. How the members of a network took up what was
suggested to them moves the suggestions for everyone, once enough of them have acted
(bot/similarity.py `Uptake`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import timedelta

from bot.clock import Clock
from bot.domain import MembershipStatus
from bot.results.people import Actor
from bot.results.recommendations import Reason, Recommendation, Recommendations
from bot.results.refs import NetworkRef
from bot.services.catalog import Catalog, NetworkCatalog
from bot.services.lookup import find_network, network_by_id, require_outside
from bot.services.mapping import network_ref
from bot.similarity import (
    WEIGHTS,
    Match,
    PeopleInCommon,
    PeopleIndex,
    Pool,
    Profile,
    TopicModel,
    Uptake,
    rank,
)
from storage.database import Database
from storage.store import Store

LIMIT = 5
# Below this score a network is not worth suggesting, however few there are.
FLOOR = 0.05
# A description this alike counts as a reason of its own when no keyword is shared.
ALIKE_TEXT = 0.15
# Up to this many networks the topic model is rebuilt while the asker waits (milliseconds);
# above it, in the background, with the previous model answering meanwhile.
REBUILD_WHILE_ASKED = 2000
# A network shown again this soon is not recorded again.
SHOWN_AGAIN_AFTER = timedelta(hours=1)

log = logging.getLogger(__name__)


class RecommendationService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        catalog: NetworkCatalog,
        rebuild_while_asked: int = REBUILD_WHILE_ASKED,
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalog = catalog
        self._rebuild_while_asked = rebuild_while_asked
        self._models: dict[int, tuple[int, TopicModel]] = {}
        self._pools: dict[int, tuple[str, TopicModel, Pool]] = {}
        self._rebuilding: set[int] = set()
        self._lock = threading.Lock()

    def similar(
        self,
        actor: Actor,
        name: str | None = None,
        *,
        network_id: int | None = None,
        limit: int = LIMIT,
    ) -> Recommendations:
        """Networks like the one named (or pointed at by id), with their reasons; none the
        actor is in, has asked to join or is not interested in."""
        with self._db.snapshot() as store:
            if network_id is not None:
                network = network_by_id(store, actor, network_id)
            else:
                network = find_network(store, self._catalog, actor, name or "")
            mine = store.memberships.current_by_network(actor.person_id)
            excluded = {*mine, *store.suggestions.refused_by(actor.person_id)}
            picked = self.like_network(store, actor.workspace_id, network.id, limit, excluded)
            new = self._not_shown_lately(store, actor, picked)
        self._shown(actor, new)
        return Recommendations(network_ref(network), picked)

    def for_person(self, actor: Actor, limit: int = LIMIT) -> Recommendations:
        """Networks for a person, from everything they belong to; none they are in, asked to
        join or are not interested in."""
        with self._db.snapshot() as store:
            picked = self.for_member(store, actor.workspace_id, actor.person_id, limit)
            new = self._not_shown_lately(store, actor, picked)
        self._shown(actor, new)
        return Recommendations(None, picked)

    def not_interested(self, actor: Actor, network_id: int) -> NetworkRef:
        """Never suggest this network to the actor again; it counts against it for the
        actor's networks. One they are in, or have asked to join, is not theirs to turn down."""
        with self._db.transaction() as store:
            network = network_by_id(store, actor, network_id)
            require_outside(store, actor, network)
            store.suggestions.not_interested(
                actor.workspace_id, actor.person_id, network.id, self._clock.now()
            )
            return network_ref(network)

    def _not_shown_lately(
        self, store: Store, actor: Actor, picked: Sequence[Recommendation]
    ) -> list[int]:
        """Which of the picked networks the actor has not been shown in `SHOWN_AGAIN_AFTER`:
        a Home opened again and again is not a write each time."""
        ids = [recommendation.network.ref.id for recommendation in picked]
        if not ids:
            return []
        since = self._clock.now() - SHOWN_AGAIN_AFTER
        lately = store.suggestions.shown_since(actor.person_id, ids, since)
        return [network_id for network_id in ids if network_id not in lately]

    def _shown(self, actor: Actor, network_ids: Sequence[int]) -> None:
        """Record that the actor was shown these networks now. A record that cannot be written
        just now is let go: it must never cost the person the answer they asked for."""
        if not network_ids:
            return
        try:
            with self._db.transaction() as store:
                store.suggestions.shown(
                    actor.workspace_id, actor.person_id, network_ids, self._clock.now()
                )
        except Exception:
            log.warning("could not record the suggestions shown to a person", exc_info=True)

    def like_network(
        self,
        store: Store,
        workspace_id: int,
        network_id: int,
        limit: int = LIMIT,
        excluded: Collection[int] = (),
        index: PeopleIndex | None = None,
    ) -> tuple[Recommendation, ...]:
        """Networks like one network, read through `store` (a digest's, say); never itself nor
        `excluded`. `index`, when given, saves reading who is in which network (a batch of
        digests reads it once for all)."""
        if index is None:
            people = _people_in_common(store, workspace_id, [network_id])
        else:
            people = index.around(network_id)
        left_out = {network_id, *excluded}
        return self._rank(store, workspace_id, [network_id], left_out, people, limit)

    def for_member(
        self,
        store: Store,
        workspace_id: int,
        person_id: int,
        limit: int = LIMIT,
        index: PeopleIndex | None = None,
    ) -> tuple[Recommendation, ...]:
        """Networks for a person from the ones they are active in, none they are not interested
        in, read through `store`; `index` as for `like_network`."""
        mine = store.memberships.current_by_network(person_id)
        sources = [
            network_id
            for network_id, membership in mine.items()
            if membership.status is MembershipStatus.ACTIVE
        ]
        if index is None:
            people = _people_in_common(store, workspace_id, sources, excluding=person_id)
        else:
            people = index.around_person(person_id, sources)
        excluded = {*mine, *store.suggestions.refused_by(person_id)}
        return self._rank(store, workspace_id, sources, excluded, people, limit)

    def prepare(self, store: Store, workspace_id: int) -> None:
        """Build the workspace's catalog and topic model now, before anyone asks."""
        catalog = self._catalog.of(store, workspace_id)
        self._pool(workspace_id, catalog, self._model(workspace_id, catalog))

    def _rank(
        self,
        store: Store,
        workspace_id: int,
        source_ids: Sequence[int],
        excluded: set[int],
        people: PeopleInCommon,
        limit: int,
    ) -> tuple[Recommendation, ...]:
        """The best of the listed, open networks not `excluded` (the sources and the actor's
        own), with their reasons."""
        catalog = self._catalog.of(store, workspace_id)
        sources = [catalog.by_id[i].profile for i in source_ids if i in catalog.by_id]
        if not sources:
            return ()
        model = self._model(workspace_id, catalog)
        pool = self._pool(workspace_id, catalog, model)
        uptake = {
            network_id: Uptake(*counts)
            for network_id, counts in store.suggestions.uptake(source_ids).items()
        }
        ranked = rank(sources, pool, model, people, limit, excluded, uptake=uptake)
        matches = [m for m in ranked if m.score >= FLOOR]
        sizes = dict(people.sizes)
        unknown = [m.id for m in matches if m.id not in sizes]
        if unknown and not people.every_size:
            sizes |= store.memberships.active_counts(workspace_id, only=unknown)
        return tuple(
            Recommendation(
                replace(catalog.by_id[m.id].summary, member_count=sizes.get(m.id, 0)), reasons(m)
            )
            for m in matches
        )

    def _pool(self, workspace_id: int, catalog: Catalog, model: TopicModel) -> Pool:
        """The workspace's open networks laid out for `model`, kept until either changes."""
        with self._lock:
            cached = self._pools.get(workspace_id)
        if cached is not None and cached[0] == catalog.version and cached[1] is model:
            return cached[2]
        pool = Pool.of([entry.profile for entry in catalog.entries if entry.is_open], model)
        with self._lock:
            self._pools[workspace_id] = (catalog.version, model, pool)
        return pool

    def _model(self, workspace_id: int, catalog: Catalog) -> TopicModel:
        """The workspace's topic model, rebuilt when what it was built from has changed (a
        network made or edited, in this process or another). A large one is rebuilt in the
        background while the previous one answers; the first one is always built at once."""
        fingerprint = catalog.topic_fingerprint
        with self._lock:
            cached = self._models.get(workspace_id)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
        profiles = [entry.profile for entry in catalog.entries]
        with self._lock:
            in_background = cached is not None and len(profiles) > self._rebuild_while_asked
            if in_background and workspace_id not in self._rebuilding:
                self._rebuilding.add(workspace_id)
                threading.Thread(
                    target=self._rebuild,
                    args=(workspace_id, fingerprint, profiles),
                    name="verkosto-topic-model",
                    daemon=True,
                ).start()
            if in_background:
                assert cached is not None
                return cached[1]
        model = TopicModel(profiles)
        with self._lock:
            self._models[workspace_id] = (fingerprint, model)
        return model

    def _rebuild(self, workspace_id: int, fingerprint: int, profiles: list[Profile]) -> None:
        try:
            model = TopicModel(profiles)
            with self._lock:
                self._models[workspace_id] = (fingerprint, model)
        finally:
            with self._lock:
                self._rebuilding.discard(workspace_id)

    def wait_for_rebuilds(self, timeout: float = 30) -> None:
        """Block until background rebuilds are done (tests, and an orderly shutdown)."""
        for thread in threading.enumerate():
            if thread.name == "verkosto-topic-model":
                thread.join(timeout)


def _people_in_common(
    store: Store, workspace_id: int, source_ids: Collection[int], excluding: int | None = None
) -> PeopleInCommon:
    """The sources' people counted, and where else they are, from the database."""
    if not source_ids:
        return PeopleInCommon()
    fellows, shared, sizes = store.memberships.people_in_common(source_ids, excluding)
    return PeopleInCommon(fellows, shared, sizes)


def reasons(match: Match) -> tuple[Reason, ...]:
    """What a person is told about a recommendation, strongest first."""
    found = []
    if match.shared_tags:
        found.append(Reason("topics", len(match.shared_tags), match.shared_tags[:3]))
    elif match.topic >= ALIKE_TEXT:
        found.append(Reason("text"))
    if match.shared_members:
        found.append(Reason("members", match.shared_members))
    if match.same_organisation:
        found.append(Reason("organisation"))
    if match.shared_scope and WEIGHTS.structure:
        found.append(Reason("scope", len(match.shared_scope), match.shared_scope))
    if match.taken_up:
        found.append(Reason("taken_up", match.taken_up))
    # Nothing else said why: the texts alone brought it, however faintly.
    return tuple(found) or (Reason("text"),)
