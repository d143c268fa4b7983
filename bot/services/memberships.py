"""Membership: joining, leaving, requests, roles and who is in a network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.domain import (
    TAKE_UP_WINDOW,
    AuditAction,
    JoinPolicy,
    MembershipStatus,
    MessageKind,
    Role,
    Scope,
    SuggestionOutcome,
)
from bot.errors import Conflict, NotFound
from bot.results.memberships import (
    ChannelJoin,
    ChannelJoinKind,
    JoinKind,
    JoinOutcome,
    LeaveKind,
    LeaveOutcome,
    MemberList,
    MembershipNotice,
    MembershipView,
    MemberView,
    RequestDecision,
    RoleChange,
)
from bot.results.people import Actor
from bot.results.refs import PersonRef
from bot.services import message_keys
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import (
    find_network,
    network_by_id,
    require_coordinator,
    require_outside,
)
from bot.services.mapping import network_ref, person_ref, recipient
from bot.services.people import Defaults
from storage.database import Database
from storage.models import Membership, Network, Person
from storage.store import Store

MEMBER_LIST_LIMIT = 50


class MembershipService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: Defaults,
        catalog: NetworkCatalog,
        partners: Mapping[str, Scope] | None = None,
    ) -> None:
        self._db = db
        self._catalog = catalog
        self._clock = clock
        self._defaults = defaults
        # The kind of each organisation whose people take part through shared channels.
        self._partners = dict(partners or {})

    def _admits(self, person: Person, network: Network) -> bool:
        """Whether an open network takes the person at once: anyone of the workspace, and
        someone of another organisation whose kind its scope includes; anyone else asks."""
        if person.organisation_id is None:
            return True
        kind = self._partners.get(person.organisation_id)
        return kind is not None and kind.value in network.scope

    def join(
        self, actor: Actor, *, name: str | None = None, network_id: int | None = None
    ) -> JoinOutcome:
        """Join an open network at once, or ask the coordinators of a by-request one."""
        now = self._clock.now()
        with self._db.transaction() as store:
            network = self._target(store, actor, name, network_id)
            store.networks.lock(network)
            ref = network_ref(network)
            if network.archived:
                raise Conflict("error.join.archived", network=ref)
            require_outside(store, actor, network)
            if network.join_policy is JoinPolicy.CLOSED:
                coordinators = store.memberships.coordinators_of(network.id)
                raise Conflict(
                    "error.join.closed",
                    network=ref,
                    coordinators=tuple(person_ref(p) for p in coordinators),
                )
            person = store.people.by_id(actor.workspace_id, actor.person_id)
            assert person is not None, "an identified actor is stored"
            if network.join_policy is JoinPolicy.OPEN and self._admits(person, network):
                store.memberships.start(network, actor.person_id, Role.MEMBER, now)
                store.suggestions.took_up(
                    actor.person_id, network.id, SuggestionOutcome.JOINED, now, now - TAKE_UP_WINDOW
                )
                return JoinOutcome(JoinKind.JOINED, ref, channel_id=network.channel_id)
            deciders, queued = self._request(store, network, person.id, now)
            return JoinOutcome(
                JoinKind.REQUESTED,
                ref,
                deciders=tuple(recipient(decider, self._defaults) for decider in deciders),
                queued=queued,
            )

    def _request(
        self, store: Store, network: Network, person_id: int, now: datetime
    ) -> tuple[Sequence[Person], tuple[int, ...]]:
        """Ask to join: a pending membership, and a notice queued to each who decides."""
        pending = store.memberships.start(network, person_id, Role.MEMBER, now, pending=True)
        deciders = self._deciders(store, network)
        keys = [
            _queue(
                store,
                network,
                message_keys.join_request(pending.id, decider.id),
                MessageKind.JOIN_REQUEST,
                decider.user_id,
                {"membership_id": pending.id},
                now,
            )
            for decider in deciders
        ]
        return deciders, tuple(store.outbox.ids_by_keys(keys))

    def leave(
        self, actor: Actor, *, name: str | None = None, network_id: int | None = None
    ) -> LeaveOutcome:
        """Leave a network or withdraw a request; the last coordinator must hand over first."""
        now = self._clock.now()
        with self._db.transaction() as store:
            network = self._target(store, actor, name, network_id)
            store.networks.lock(network)
            ref = network_ref(network)
            current = store.memberships.current(network.id, actor.person_id)
            if current is None:
                raise Conflict("error.leave.not_member", network=ref)
            if current.status is MembershipStatus.PENDING:
                self._end(current, MembershipStatus.LEFT, now)
                keys = _close_request(store, network, current, {"withdrawn": True}, now)
                queued = tuple(store.outbox.ids_by_keys(keys))
                return LeaveOutcome(LeaveKind.WITHDRAWN, ref, queued)
            if current.role is Role.COORDINATOR and self._is_last_coordinator(store, network):
                raise Conflict("error.leave.last_coordinator", network=ref)
            self._end(current, MembershipStatus.LEFT, now)
            return LeaveOutcome(LeaveKind.LEFT, ref)

    def decide(self, actor: Actor, membership_id: int, *, approve: bool) -> RequestDecision:
        """A coordinator approves or declines a pending request to join."""
        now = self._clock.now()
        with self._db.transaction() as store:
            membership = store.memberships.by_id(actor.workspace_id, membership_id, lock=True)
            if membership is None:
                raise NotFound("error.stale_action")
            network = membership.network
            require_coordinator(store, actor, network)
            ref = network_ref(network)
            if membership.status is not MembershipStatus.PENDING:
                raise Conflict(
                    "error.request.already_decided",
                    network=ref,
                    person=person_ref(membership.person),
                    status=membership.status,
                )
            if approve:
                self._activate(membership, now)
                # Asking soon after the suggestion is what counts, however long the answer took.
                asked = membership.requested_at or now
                store.suggestions.took_up(
                    membership.person_id,
                    network.id,
                    SuggestionOutcome.JOINED,
                    now,
                    asked - TAKE_UP_WINDOW,
                )
            else:
                self._end(membership, MembershipStatus.DECLINED, now)
            store.audit.record(
                workspace_id=actor.workspace_id,
                action=AuditAction.REQUEST_APPROVED if approve else AuditAction.REQUEST_DECLINED,
                at=now,
                actor_id=actor.person_id,
                network_id=network.id,
                subject_id=membership.person_id,
            )
            decided = {"approved": approve, "by": actor.person_id}
            answer = _queue(
                store,
                network,
                message_keys.request_answer(membership.id),
                MessageKind.REQUEST_ANSWER,
                membership.person.user_id,
                {"membership_id": membership.id, **decided},
                now,
            )
            # The deciding coordinator's own notice is replaced by their answer.
            others = _close_request(store, network, membership, decided, now, actor.user_id)
            return RequestDecision(
                approved=approve,
                network=ref,
                requester=recipient(membership.person, self._defaults),
                decided_by=PersonRef(actor.user_id, actor.display_name),
                channel_id=network.channel_id,
                queued=tuple(store.outbox.ids_by_keys([answer, *others])),
            )

    def set_role(self, actor: Actor, name: str, user_id: str, role: Role) -> RoleChange:
        """Give someone a role; someone not yet in the network is added with it.

        This is also how coordinators bring people into a closed network. The person must be
        known to the bot (see `PeopleService.ensure`).
        """
        now = self._clock.now()
        with self._db.transaction() as store:
            network = find_network(store, self._catalog, actor, name)
            require_coordinator(store, actor, network)
            store.networks.lock(network)
            ref = network_ref(network)
            if network.archived:
                raise Conflict("error.join.archived", network=ref)
            person = store.people.by_user(actor.workspace_id, user_id)
            if person is None:
                raise NotFound("error.person_not_found")
            current = store.memberships.current(network.id, person.id)
            their = recipient(person, self._defaults)
            unchanged = current is not None and current.status is MembershipStatus.ACTIVE
            if unchanged and current.role is role:
                return RoleChange(ref, their, role, False, network.channel_id)
            added = current is None or current.status is MembershipStatus.PENDING
            details = {"to": role.value}
            if current is None:
                current = store.memberships.start(network, person.id, role, now)
            else:
                demoting = current.role is Role.COORDINATOR and role is not Role.COORDINATOR
                if demoting and self._is_last_coordinator(store, network):
                    raise Conflict("error.role.last_coordinator", network=ref)
                details["from"] = current.role.value
                current.role = role
                if current.status is MembershipStatus.PENDING:
                    self._activate(current, now)
            entry = store.audit.record(
                workspace_id=actor.workspace_id,
                action=AuditAction.MEMBER_ADDED if added else AuditAction.ROLE_CHANGED,
                at=now,
                actor_id=actor.person_id,
                network_id=network.id,
                subject_id=person.id,
                details=details,
            )
            keys = []
            if person.id != actor.person_id:
                keys.append(
                    _queue(
                        store,
                        network,
                        message_keys.role_given(current.id, entry),
                        MessageKind.ROLE_GIVEN,
                        person.user_id,
                        {
                            "membership_id": current.id,
                            "role": role.value,
                            "added": added,
                            "by": actor.person_id,
                        },
                        now,
                    )
                )
            queued = tuple(store.outbox.ids_by_keys(keys))
            return RoleChange(ref, their, role, added, network.channel_id, queued)

    def mine(self, actor: Actor) -> tuple[MembershipView, ...]:
        """The person's networks and pending requests."""
        with self._db.snapshot() as store:
            memberships = store.memberships.current_of_person(actor.person_id)
            views = [
                MembershipView(
                    network=network_ref(m.network),
                    role=m.role,
                    status=m.status,
                    since=m.joined_at or m.requested_at or self._clock.now(),
                )
                for m in memberships
            ]
        return tuple(sorted(views, key=lambda view: view.network.names.in_(actor.language)))

    def members(self, actor: Actor, name: str, limit: int = MEMBER_LIST_LIMIT) -> MemberList:
        """Who is in a network, coordinators first."""
        with self._db.snapshot() as store:
            network = find_network(store, self._catalog, actor, name)
            active = store.memberships.active_in(network.id)
            ordered = sorted(
                active, key=lambda m: (m.role is not Role.COORDINATOR, m.person.display_name)
            )
            return MemberList(
                network=network_ref(network),
                members=tuple(
                    MemberView(
                        person_ref(m.person),
                        m.role,
                        m.joined_at or m.requested_at,
                        external=m.person.organisation_id is not None,
                    )
                    for m in ordered[:limit]
                ),
                total=len(active),
            )

    def join_by_channel(self, team_id: str, channel_id: str, user_id: str) -> list[ChannelJoin]:
        """Someone joined a linked channel in the chat itself: they are members now, or
        someone of another organisation the network does not take at once has asked to join.

        The person must be known to the bot (see `PeopleService.identify`).
        """
        now = self._clock.now()
        joined: list[ChannelJoin] = []
        with self._db.transaction() as store:
            person = store.people.by_team_and_user(team_id, user_id)
            if person is None:
                return joined
            for network in store.networks.by_channel(person.workspace_id, channel_id):
                store.networks.lock(network)
                current = store.memberships.current(network.id, person.id)
                if current is not None and current.status is MembershipStatus.ACTIVE:
                    continue
                ref = network_ref(network)
                if not self._admits(person, network):
                    # A closed network takes no requests (Join answers the same), and a request
                    # declined is not asked again each time they come back to the channel: they
                    # may still press Join to ask again.
                    if current is not None or network.join_policy is JoinPolicy.CLOSED:
                        continue
                    last = store.memberships.latest(network.id, person.id)
                    if last is not None and last.status is MembershipStatus.DECLINED:
                        kind, queued = ChannelJoinKind.DECLINED_BEFORE, ()
                    else:
                        kind = ChannelJoinKind.REQUESTED
                        _, queued = self._request(store, network, person.id, now)
                    joined.append(ChannelJoin(ref, person_ref(person), channel_id, kind, queued))
                    continue
                if current is not None:
                    self._activate(current, now)
                else:
                    store.memberships.start(network, person.id, Role.MEMBER, now)
                joined.append(ChannelJoin(ref, person_ref(person), channel_id))
        return joined

    def deactivated(self, team_id: str, user_id: str) -> int:
        """The platform says the person's account was deactivated: they have left every network (and
        withdrawn every request), as the networks' reports then show. How many."""
        now = self._clock.now()
        with self._db.transaction() as store:
            person = store.people.by_team_and_user(team_id, user_id)
            if person is None:
                return 0
            current = store.memberships.current_of_person(person.id)
            for membership in current:
                self._end(membership, MembershipStatus.LEFT, now)
            return len(current)

    def _target(
        self, store: Store, actor: Actor, name: str | None, network_id: int | None
    ) -> Network:
        if network_id is not None:
            return network_by_id(store, actor, network_id)
        if name is None:
            raise ValueError("name or network_id is required")
        return find_network(store, self._catalog, actor, name)

    @staticmethod
    def _deciders(store: Store, network: Network) -> Sequence[Person]:
        """Who answers a request: the coordinators, or the workspace admins when there are none."""
        return store.memberships.coordinators_of(network.id) or store.people.workspace_admins(
            network.workspace_id
        )

    def notice(
        self, workspace_id: int, membership_id: int, acted_by: int | None = None
    ) -> MembershipNotice | None:
        """A membership as a message about it shows it now; `acted_by` is a person's id."""
        with self._db.snapshot() as store:
            membership = store.memberships.by_id(workspace_id, membership_id)
            if membership is None:
                return None
            actor = store.people.by_id(workspace_id, acted_by) if acted_by else None
            return MembershipNotice(
                membership_id=membership.id,
                network=network_ref(membership.network),
                channel_id=membership.network.channel_id,
                person=recipient(membership.person, self._defaults),
                status=membership.status,
                acted_by=person_ref(actor) if actor else None,
                external=membership.person.organisation_id is not None,
            )

    @staticmethod
    def _is_last_coordinator(store: Store, network: Network) -> bool:
        return len(store.memberships.coordinators_of(network.id)) <= 1

    @staticmethod
    def _activate(membership: Membership, now: datetime) -> None:
        """A pending request becomes membership."""
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = now

    @staticmethod
    def _end(membership: Membership, status: MembershipStatus, now: datetime) -> None:
        membership.status = status
        membership.left_at = now


def _queue(
    store: Store,
    network: Network,
    key: str,
    kind: MessageKind,
    user_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> str:
    """Queue a message to a person about a membership of `network`; its key."""
    store.outbox.put(
        workspace_id=network.workspace_id,
        network_id=network.id,
        key=key,
        kind=kind,
        recipient=user_id,
        due_at=now,
        now=now,
        payload=payload,
    )
    return key


def _close_request(
    store: Store,
    network: Network,
    membership: Membership,
    outcome: dict[str, Any],
    now: datetime,
    except_user: str | None = None,
) -> list[str]:
    """A request was answered or withdrawn: notices not yet sent are dropped, and those sent
    are changed to say so (except `except_user`'s). The keys of the changes."""
    prefix = message_keys.join_requests_of(membership.id)
    store.outbox.cancel_pending(prefix)
    keys = []
    for notice in store.outbox.sent_with_prefix(prefix):
        if notice.recipient == except_user:
            continue
        keys.append(
            _queue(
                store,
                network,
                message_keys.request_closed(membership.id, notice.id),
                MessageKind.REQUEST_CLOSED,
                notice.recipient,
                {"membership_id": membership.id, "notice": notice.key, **outcome},
                now,
            )
        )
    return keys
