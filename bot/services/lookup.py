"""Finding the network a person means, and checking what they may do with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain import MembershipStatus, Role
from bot.errors import Ambiguous, Conflict, Forbidden, NotFound
from bot.results.people import Actor
from bot.search import named_exactly, resolve
from bot.services.catalog import NetworkCatalog
from bot.services.mapping import network_ref
from storage.models import Membership, Network
from storage.store import Store


def _visible(network: Network, actor: Actor, mine: Mapping[int, Membership]) -> bool:
    """Unlisted networks exist only for their members and workspace admins."""
    return network.listed or actor.is_workspace_admin or network.id in mine


def visible_networks(store: Store, actor: Actor, mine: Mapping[int, Membership]) -> list[Network]:
    """The networks the actor may see; `mine` is their current memberships by network id."""
    return [n for n in store.networks.all_in(actor.workspace_id) if _visible(n, actor, mine)]


def find_network(store: Store, catalog: NetworkCatalog, actor: Actor, name: str) -> Network:
    """The one network `name` refers to, or an error that lists candidates or suggestions."""
    mine = store.memberships.current_by_network(actor.person_id)
    findable = catalog.of(store, actor.workspace_id).findable(actor.is_workspace_admin, mine)
    found = resolve(name, findable)
    if found.key is not None:
        network = store.networks.by_id(actor.workspace_id, found.key)
        if network is not None:
            return network
    keys = found.candidates or found.suggestions
    # One query for the few networks named, rather than every network of the workspace.
    named = {n.id: network_ref(n) for n in store.networks.by_ids(actor.workspace_id, keys)}
    refs = tuple(named[key] for key in keys)
    if found.candidates:
        raise Ambiguous(name=name, candidates=refs)
    raise NotFound(name=name, suggestions=refs)


def words_naming_one(
    store: Store, catalog: NetworkCatalog, actor: Actor, words: Sequence[str]
) -> int | None:
    """How many of the first `words` (two or more, and not all) are exactly the short name or
    a full name of one network the actor may find: where a name typed without quotes most
    likely ended. None if no run of them is."""
    mine = store.memberships.current_by_network(actor.person_id)
    findable = catalog.of(store, actor.workspace_id).findable(actor.is_workspace_admin, mine)
    for count in range(len(words) - 1, 1, -1):
        if len(set(named_exactly(" ".join(words[:count]), findable))) == 1:
            return count
    return None


def network_by_id(store: Store, actor: Actor, network_id: int) -> Network:
    """The network a button points at; a forged or outdated id is refused as not found."""
    network = store.networks.by_id(actor.workspace_id, network_id)
    if network is None:
        raise NotFound("error.stale_action")
    return visible(store, actor, network)


def visible(
    store: Store, actor: Actor, network: Network, mine: Mapping[int, Membership] | None = None
) -> Network:
    """`network` (of something a button points at) if the actor may see it, else refused as not
    found, as a forged id is. `mine`: the actor's current memberships, if read already."""
    if mine is None:
        mine = store.memberships.current_by_network(actor.person_id)
    if not _visible(network, actor, mine):
        raise NotFound("error.stale_action")
    return network


def coordinates(actor: Actor, membership: Membership | None) -> bool:
    """Coordinators manage their network; workspace admins may manage any.

    `membership` is the actor's current membership in the network, if any.
    """
    if actor.is_workspace_admin:
        return True
    return (
        membership is not None
        and membership.status is MembershipStatus.ACTIVE
        and membership.role is Role.COORDINATOR
    )


def can_coordinate(store: Store, actor: Actor, network: Network) -> bool:
    return coordinates(actor, store.memberships.current(network.id, actor.person_id))


def may_address(store: Store, actor: Actor, network: Network) -> bool:
    """Whether the actor may announce events and start polls in a network: its coordinators
    may, and its members too where the network lets them."""
    if can_coordinate(store, actor, network):
        return True
    membership = store.memberships.current(network.id, actor.person_id)
    is_member = membership is not None and membership.status is MembershipStatus.ACTIVE
    return network.members_may_announce and is_member


def require_coordinator(store: Store, actor: Actor, network: Network) -> None:
    if not can_coordinate(store, actor, network):
        raise Forbidden("error.forbidden.coordinator", network=network_ref(network))


def require_outside(store: Store, actor: Actor, network: Network) -> None:
    """Refuse what only someone outside a network may do (join it, turn it down): the actor is
    in it already, or has asked to join."""
    current = store.memberships.current(network.id, actor.person_id)
    if current is not None and current.status is MembershipStatus.ACTIVE:
        raise Conflict("error.join.already_member", network=network_ref(network))
    if current is not None:
        raise Conflict("error.join.already_pending", network=network_ref(network))
