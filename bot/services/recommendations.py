"""Similar networks: for a network, and for a person from everything they belong to.

The topic model is built once per workspace and rebuilt when a network is created or edited
(the networks' texts are its fingerprint); who is in which network is read on each request, so
joining shows at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from bot.clock import Clock
from bot.domain import MembershipStatus
from bot.services.lookup import find_network, network_by_id
from bot.services.mapping import network_ref, summarize
from bot.similarity import Match, Profile, TopicModel, rank
from bot.views import Actor, Reason, Recommendation, Recommendations
from storage.database import Database
from storage.models import Network

LIMIT = 5
# Below this score a network is not worth suggesting, however few there are.
FLOOR = 0.05
# A description this alike counts as a reason of its own when no keyword is shared.
ALIKE_TEXT = 0.15


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
    """What a network's profile is made of, as it is stored."""
    return (
        network.id,
        *_texts(network),
        tuple(network.tags),
        network.category.value,
        tuple(network.scope),
        network.coordinating_organisation,
    )


def profile(network: Network) -> Profile:
    return Profile.of(
        id=network.id,
        texts=_texts(network),
        tags=network.tags,
        category=network.category.value,
        scope=network.scope,
        organisation=network.coordinating_organisation,
    )


# Up to this many networks the topic model is rebuilt while the asker waits (milliseconds);
# above it, in the background, with the previous model answering meanwhile.
REBUILD_WHILE_ASKED = 2000


class RecommendationService:
    def __init__(
        self, db: Database, clock: Clock, rebuild_while_asked: int = REBUILD_WHILE_ASKED
    ) -> None:
        self._db = db
        self._clock = clock
        self._rebuild_while_asked = rebuild_while_asked
        self._models: dict[int, tuple[int, TopicModel]] = {}
        # Profiles by what they were made of: folding every text again on each ask is slow.
        self._profiles: dict[tuple[object, ...], Profile] = {}
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
        actor is in or has asked to join."""
        with self._db.snapshot() as store:
            if network_id is not None:
                network = network_by_id(store, actor, network_id)
            else:
                network = find_network(store, actor, name or "")
            networks = store.networks.all_in(actor.workspace_id)
            mine = store.memberships.current_by_network(actor.person_id)
            members = store.memberships.active_members(actor.workspace_id)
            fellows = members.get(network.id, set())
            excluded = {network.id, *mine}
            picked = self._rank(actor, networks, [network], excluded, fellows, members, limit)
            return Recommendations(network_ref(network), picked)

    def for_person(self, actor: Actor, limit: int = LIMIT) -> Recommendations:
        """Networks for a person, from everything they belong to; none they are in or asked
        to join."""
        with self._db.snapshot() as store:
            networks = store.networks.all_in(actor.workspace_id)
            mine = store.memberships.current_by_network(actor.person_id)
            members = store.memberships.active_members(actor.workspace_id)
            sources = [
                n for n in networks if n.id in mine and mine[n.id].status is MembershipStatus.ACTIVE
            ]
            fellows = set().union(*(members.get(n.id, set()) for n in sources)) - {actor.person_id}
            picked = self._rank(actor, networks, sources, set(mine), fellows, members, limit)
            return Recommendations(None, picked)

    def _rank(
        self,
        actor: Actor,
        networks: Sequence[Network],
        sources: Sequence[Network],
        excluded: set[int],
        fellows: set[int],
        members: dict[int, set[int]],
        limit: int,
    ) -> tuple[Recommendation, ...]:
        """The best of the listed, open networks not `excluded` (the sources and the actor's
        own), with their reasons."""
        if not sources:
            return ()
        candidates = [n for n in networks if n.listed and not n.archived and n.id not in excluded]
        profiles = {n.id: self._profile_of(n) for n in networks}
        if len(self._profiles) > 2 * len(profiles) + 100:
            # Forget the profiles of texts that have since been edited.
            self._profiles = {_fields(n): profiles[n.id] for n in networks}
        model = self._model(actor.workspace_id, list(profiles.values()))
        matches = rank(
            [profiles[n.id] for n in sources],
            [profiles[n.id] for n in candidates],
            model,
            members,
            fellows,
            limit,
        )
        by_id = {n.id: n for n in candidates}
        return tuple(
            Recommendation(summarize(by_id[m.id], len(members.get(m.id, set()))), reasons(m))
            for m in matches
            if m.score >= FLOOR
        )

    def _profile_of(self, network: Network) -> Profile:
        key = _fields(network)
        found = self._profiles.get(key)
        if found is None:
            found = self._profiles[key] = profile(network)
        return found

    def _model(self, workspace_id: int, profiles: Sequence[Profile]) -> TopicModel:
        """The workspace's topic model, rebuilt when what it was built from has changed (a
        network made or edited, in this process or another). A large one is rebuilt in the
        background while the previous one answers; the first one is always built at once."""
        fingerprint = hash(tuple(profiles))
        with self._lock:
            cached = self._models.get(workspace_id)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
            in_background = cached is not None and len(profiles) > self._rebuild_while_asked
            if in_background and workspace_id not in self._rebuilding:
                self._rebuilding.add(workspace_id)
                threading.Thread(
                    target=self._rebuild,
                    args=(workspace_id, fingerprint, list(profiles)),
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
    if match.shared_scope:
        found.append(Reason("scope", len(match.shared_scope), match.shared_scope))
    return tuple(found)
