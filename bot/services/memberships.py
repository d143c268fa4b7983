"""Membership: joining, leaving, requests, roles and who is in a network."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain import AuditAction, JoinPolicy, MembershipStatus, Role
from bot.errors import Conflict, NotFound
from bot.services.lookup import find_network, network_by_id, require_coordinator
from bot.services.mapping import network_ref, person_ref, recipient
from bot.services.people import Defaults
from bot.views import (
    Actor,
    ChannelJoin,
    JoinKind,
    JoinOutcome,
    JoinRequest,
    LeaveKind,
    LeaveOutcome,
    MemberList,
    MembershipView,
    MemberView,
    PersonRef,
    Recipient,
    RequestDecision,
    RoleChange,
)
from storage.database import Database
from storage.models import Membership, Network
from storage.repositories import Store

MEMBER_LIST_LIMIT = 50


class MembershipService:
    def __init__(self, db: Database, clock: Clock, defaults: Defaults) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

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
            current = store.memberships.current(network.id, actor.person_id)
            if current is not None and current.status is MembershipStatus.ACTIVE:
                raise Conflict("error.join.already_member", network=ref)
            if current is not None:
                raise Conflict("error.join.already_pending", network=ref)
            if network.join_policy is JoinPolicy.CLOSED:
                coordinators = store.memberships.coordinators_of(network.id)
                raise Conflict(
                    "error.join.closed",
                    network=ref,
                    coordinators=tuple(person_ref(p) for p in coordinators),
                )
            if network.join_policy is JoinPolicy.OPEN:
                store.memberships.start(network, actor.person_id, Role.MEMBER, now)
                return JoinOutcome(JoinKind.JOINED, ref, channel_id=network.channel_id)
            pending = store.memberships.start(
                network, actor.person_id, Role.MEMBER, now, pending=True
            )
            return JoinOutcome(
                JoinKind.REQUESTED,
                ref,
                request=JoinRequest(pending.id, ref, PersonRef(actor.user_id, actor.display_name)),
                deciders=self._deciders(store, network),
            )

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
                return LeaveOutcome(LeaveKind.WITHDRAWN, ref)
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
            return RequestDecision(
                approved=approve,
                network=ref,
                requester=recipient(membership.person, self._defaults),
                decided_by=PersonRef(actor.user_id, actor.display_name),
                channel_id=network.channel_id,
            )

    def set_role(self, actor: Actor, name: str, user_id: str, role: Role) -> RoleChange:
        """Give someone a role; someone not yet in the network is added with it.

        This is also how coordinators bring people into a closed network. The person must be
        known to the bot (see `PeopleService.ensure`).
        """
        now = self._clock.now()
        with self._db.transaction() as store:
            network = find_network(store, actor, name)
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
                store.memberships.start(network, person.id, role, now)
            else:
                demoting = current.role is Role.COORDINATOR and role is not Role.COORDINATOR
                if demoting and self._is_last_coordinator(store, network):
                    raise Conflict("error.role.last_coordinator", network=ref)
                details["from"] = current.role.value
                current.role = role
                if current.status is MembershipStatus.PENDING:
                    self._activate(current, now)
            store.audit.record(
                workspace_id=actor.workspace_id,
                action=AuditAction.MEMBER_ADDED if added else AuditAction.ROLE_CHANGED,
                at=now,
                actor_id=actor.person_id,
                network_id=network.id,
                subject_id=person.id,
                details=details,
            )
            return RoleChange(ref, their, role, added, network.channel_id)

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
            network = find_network(store, actor, name)
            active = store.memberships.active_in(network.id)
            ordered = sorted(
                active, key=lambda m: (m.role is not Role.COORDINATOR, m.person.display_name)
            )
            return MemberList(
                network=network_ref(network),
                members=tuple(
                    MemberView(person_ref(m.person), m.role, m.joined_at or m.requested_at)
                    for m in ordered[:limit]
                ),
                total=len(active),
            )

    def join_by_channel(self, team_id: str, channel_id: str, user_id: str) -> list[ChannelJoin]:
        """Someone joined a linked channel in the chat itself: they are members now.

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
                if current is not None:
                    self._activate(current, now)
                else:
                    store.memberships.start(network, person.id, Role.MEMBER, now)
                joined.append(ChannelJoin(network_ref(network), person_ref(person), channel_id))
        return joined

    def _target(
        self, store: Store, actor: Actor, name: str | None, network_id: int | None
    ) -> Network:
        if network_id is not None:
            return network_by_id(store, actor, network_id)
        if name is None:
            raise ValueError("name or network_id is required")
        return find_network(store, actor, name)

    def _deciders(self, store: Store, network: Network) -> tuple[Recipient, ...]:
        """Who answers a request: the coordinators, or the workspace admins when there are none."""
        people = store.memberships.coordinators_of(network.id) or store.people.workspace_admins(
            network.workspace_id
        )
        return tuple(recipient(person, self._defaults) for person in people)

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
