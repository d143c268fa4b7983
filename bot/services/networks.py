"""The directory of networks: search, details, creating and editing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from bot.clock import Clock
from bot.domain import (
    CHANNEL_TROUBLE_GRAVITY,
    TAKE_UP_WINDOW,
    AuditAction,
    Category,
    ChannelTrouble,
    Role,
    Scope,
    SuggestionOutcome,
)
from bot.errors import FormInvalid, InvalidInput
from bot.results.networks import NetworkDetail, SearchResult
from bot.results.people import Actor
from bot.search import rank
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import (
    coordinates,
    find_network,
    network_by_id,
    require_coordinator,
    visible_networks,
)
from bot.services.mapping import apply_changes, person_ref, searchable, summarize
from bot.services.network_fields import NetworkForm, column_values, problems
from bot.services.public_directory import web_address
from bot.text import slugify
from storage.database import Database
from storage.models import Network
from storage.store import Store

PAGE_SIZE = 8
EDITABLE_FIELDS = tuple(name for name in NetworkForm.model_fields if name != "slug")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditableNetwork:
    """A network's current values, to fill in the edit form."""

    network_id: int
    form: NetworkForm


class NetworkDirectory:
    def __init__(self, db: Database, clock: Clock, catalog: NetworkCatalog) -> None:
        self._db = db
        self._catalog = catalog
        self._clock = clock

    def search(
        self,
        actor: Actor,
        query: str = "",
        category: Category | None = None,
        scopes: tuple[Scope, ...] = (),
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> SearchResult:
        """Networks that match every word of `query` (in any language) and the filters."""
        with self._db.snapshot() as store:
            mine = store.memberships.current_by_network(actor.person_id)
            candidates = [
                network
                for network in visible_networks(store, actor, mine)
                if not network.archived
                and (category is None or network.category == category)
                and all(scope in network.scope for scope in scopes)
            ]
            ranking = rank(query, [searchable(network) for network in candidates])
            by_id = {network.id: network for network in candidates}
            page = ranking.keys[offset : offset + limit]
            counts = store.memberships.active_counts(actor.workspace_id)
            return SearchResult(
                query=query,
                category=category,
                scopes=scopes,
                networks=tuple(
                    summarize(by_id[key], counts.get(key, 0), mine.get(key)) for key in page
                ),
                total=len(ranking.keys),
                offset=offset,
                complete=ranking.complete,
            )

    def info(self, actor: Actor, name: str) -> NetworkDetail:
        return self._opened(actor, lambda store: find_network(store, self._catalog, actor, name))

    def info_by_id(self, actor: Actor, network_id: int) -> NetworkDetail:
        return self._opened(actor, lambda store: network_by_id(store, actor, network_id))

    def _opened(self, actor: Actor, lookup: Callable[[Store], Network]) -> NetworkDetail:
        """A network's details; opening one that was suggested lately takes the suggestion up."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network = lookup(store)
            detail = self._detail(store, actor, network)
            since = now - TAKE_UP_WINDOW
            suggested = store.suggestions.undecided(actor.person_id, network.id, since)
        if suggested:
            self._took_up(actor, network.id, now)
        return detail

    def _took_up(self, actor: Actor, network_id: int, now: datetime) -> None:
        """Record that the actor opened a network suggested to them. A record that cannot be
        written just now is let go: it must never cost the person the details they asked for."""
        try:
            with self._db.transaction() as store:
                store.suggestions.took_up(
                    actor.person_id, network_id, SuggestionOutcome.OPENED, now, now - TAKE_UP_WINDOW
                )
        except Exception:
            log.warning("could not record that a suggestion was opened", exc_info=True)

    def editable(self, actor: Actor, name: str) -> EditableNetwork:
        """The values of a network its coordinator is about to edit."""
        with self._db.snapshot() as store:
            return self._editable(store, actor, find_network(store, self._catalog, actor, name))

    def editable_by_id(self, actor: Actor, network_id: int) -> EditableNetwork:
        """The same, for the network a form names by its id."""
        with self._db.snapshot() as store:
            return self._editable(store, actor, network_by_id(store, actor, network_id))

    @staticmethod
    def _editable(store: Store, actor: Actor, network: Network) -> EditableNetwork:
        require_coordinator(store, actor, network)
        values = {field: getattr(network, field) for field in NetworkForm.model_fields}
        return EditableNetwork(network.id, NetworkForm.model_validate(values))

    def create(self, actor: Actor, values: dict[str, object]) -> NetworkDetail:
        """A new network; whoever creates it becomes its coordinator."""
        form = _validated(values)
        slug = form.slug or slugify(form.first_name())
        if len(slug) < 2:
            raise FormInvalid([InvalidInput("error.field.slug", field="slug")])
        now = self._clock.now()
        with self._db.transaction() as store:
            if store.networks.by_slug(actor.workspace_id, slug) is not None:
                raise FormInvalid([InvalidInput("error.field.slug_taken", field="slug", slug=slug)])
            network = Network(workspace_id=actor.workspace_id, slug=slug, created_at=now)
            apply_changes(network, column_values(form, EDITABLE_FIELDS), now)
            store.networks.add(network)
            store.memberships.start(network, actor.person_id, Role.COORDINATOR, now)
            store.audit.record(
                workspace_id=actor.workspace_id,
                action=AuditAction.NETWORK_CREATED,
                at=now,
                actor_id=actor.person_id,
                network_id=network.id,
            )
            return self._detail(store, actor, network)

    def update(self, actor: Actor, network_id: int, values: dict[str, object]) -> NetworkDetail:
        """Save a coordinator's edits; the slug stays as it was."""
        form = _validated(values)
        now = self._clock.now()
        with self._db.transaction() as store:
            network = network_by_id(store, actor, network_id)
            require_coordinator(store, actor, network)
            changed = apply_changes(network, column_values(form, EDITABLE_FIELDS), now)
            if "channel_id" in changed:
                _mend(network)  # Whatever was wrong with the old channel is no longer so.
            if changed:
                store.audit.record(
                    workspace_id=actor.workspace_id,
                    action=AuditAction.NETWORK_EDITED,
                    at=now,
                    actor_id=actor.person_id,
                    network_id=network.id,
                    details={"fields": changed},
                )
            store.flush()
            return self._detail(store, actor, network)

    def channel_moved(self, team_id: str, old_id: str, new_id: str) -> int:
        """A channel got a new id (a private channel became shared, say): the networks linked
        to it follow it; how many."""
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.by_team(team_id)
            if workspace is None:
                return 0
            moved = store.networks.linked_to(workspace.id, old_id)
            # What is announced there and still to be updated follows it too.
            store.networks.move_channel(workspace.id, old_id, new_id)
            for network in moved:
                network.channel_id = new_id
                network.updated_at = now
                _chat_changed(store, network, now, "channel_id", old_id, new_id)
            return len(moved)

    def channel_troubled(self, team_id: str, channel_id: str, trouble: ChannelTrouble) -> int:
        """Something happened to a channel that its networks' coordinators must see (it was
        disconnected, unshared, archived or deleted, or the bot removed); how many networks it
        is linked to. A trouble at least as grave already noted stands."""
        now = self._clock.now()
        with self._db.transaction() as store:
            linked = _linked_to(store, team_id, channel_id)
            for network in linked:
                if _as_grave(network.channel_trouble, trouble):
                    continue
                _chat_changed(store, network, now, "channel_trouble", to=trouble.value)
                network.channel_trouble = trouble
                network.channel_trouble_at = now
            return len(linked)

    def channel_mended(
        self, team_id: str, channel_id: str, troubles: Collection[ChannelTrouble]
    ) -> int:
        """A channel's trouble is over (it was unarchived, or shared again, or the bot invited
        back); how many of its networks had one of those troubles."""
        now = self._clock.now()
        with self._db.transaction() as store:
            linked = _linked_to(store, team_id, channel_id)
            mended = [network for network in linked if network.channel_trouble in troubles]
            for network in mended:
                _chat_changed(store, network, now, "channel_trouble", str(network.channel_trouble))
                _mend(network)
            return len(mended)

    def _detail(self, store: Store, actor: Actor, network: Network) -> NetworkDetail:
        mine = store.memberships.current(network.id, actor.person_id)
        return NetworkDetail(
            summary=summarize(network, store.memberships.active_count(network.id), mine),
            coordinating_organisation=network.coordinating_organisation,
            origin=network.origin,
            tags=tuple(network.tags),
            source=network.source,
            channel_id=network.channel_id,
            coordinators=tuple(
                person_ref(person) for person in store.memberships.coordinators_of(network.id)
            ),
            can_edit=coordinates(actor, mine),
            calendar_token=network.calendar_token,
            web_address=_web_address(store, network),
        )


def _linked_to(store: Store, team_id: str, channel_id: str) -> Sequence[Network]:
    """The networks of a workspace, by its platform id, linked to a channel."""
    workspace = store.workspaces.by_team(team_id)
    return () if workspace is None else store.networks.linked_to(workspace.id, channel_id)


def _chat_changed(
    store: Store,
    network: Network,
    now: datetime,
    field: str,
    was: str | None = None,
    to: str | None = None,
) -> None:
    """Audit what the chat platform changed about a network's channel: nobody did it here."""
    details: dict[str, object] = {"fields": [field]}
    if was is not None:
        details["from"] = was
    if to is not None:
        details["to"] = to
    store.audit.record(
        workspace_id=network.workspace_id,
        action=AuditAction.NETWORK_EDITED,
        at=now,
        network_id=network.id,
        details=details,
    )


def _as_grave(noted: ChannelTrouble | None, told: ChannelTrouble) -> bool:
    """Whether the trouble already noted is at least as grave as the one just told (told
    twice, it keeps the time it was first told)."""
    if noted is None:
        return False
    return CHANNEL_TROUBLE_GRAVITY.index(noted) >= CHANNEL_TROUBLE_GRAVITY.index(told)


def _mend(network: Network) -> None:
    network.channel_trouble = None
    network.channel_trouble_at = None


def _web_address(store: Store, network: Network) -> str | None:
    if not network.public:
        return None
    shared = store.networks.older_published_with_slug(network)
    return web_address(network.slug, network.id, shared=shared)


def _validated(values: dict[str, object]) -> NetworkForm:
    try:
        return NetworkForm.model_validate(values)
    except ValidationError as error:
        raise FormInvalid(problems(error)) from error
