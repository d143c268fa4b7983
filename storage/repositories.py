"""Queries, grouped by what they are about. Services reach the database only through these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from bot.domain import CURRENT_STATUSES, AuditAction, MembershipStatus, Role
from storage.models import (
    AuditEntry,
    Membership,
    Network,
    Person,
    ProcessedEvent,
    Workspace,
)


def insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; True when it was inserted.

    Atomic on both backends, so two requests racing to create the same row cannot both win.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING tells reliably whether a row went in; rowcount does not on every driver.
    return session.execute(statement.returning(*table.primary_key.columns)).first() is not None


class Workspaces:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_team(self, team_id: str) -> Workspace | None:
        return self.session.scalar(select(Workspace).where(Workspace.team_id == team_id))

    def ensure(self, team_id: str, name: str | None, now: datetime) -> Workspace:
        """The workspace for a team, created on first sight."""
        values = {"team_id": team_id, "name": name, "created_at": now}
        insert_ignoring_duplicates(self.session, Workspace.__table__, values)
        workspace = self.by_team(team_id)
        assert workspace is not None
        return workspace

    def all(self) -> Sequence[Workspace]:
        return self.session.scalars(select(Workspace).order_by(Workspace.id)).all()


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_user(self, workspace_id: int, user_id: str) -> Person | None:
        return self.session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
        )

    def by_team_and_user(self, team_id: str, user_id: str) -> Person | None:
        return self.session.scalar(
            select(Person)
            .join(Workspace, Workspace.id == Person.workspace_id)
            .where(Workspace.team_id == team_id, Person.user_id == user_id)
        )

    def ensure(self, workspace_id: int, user_id: str, values: dict[str, Any]) -> Person:
        """The person, inserted with `values` unless someone else inserted them first."""
        row = {"workspace_id": workspace_id, "user_id": user_id, **values}
        insert_ignoring_duplicates(self.session, Person.__table__, row)
        person = self.by_user(workspace_id, user_id)
        assert person is not None
        return person

    def workspace_admins(self, workspace_id: int) -> Sequence[Person]:
        return self.session.scalars(
            select(Person)
            .where(Person.workspace_id == workspace_id, Person.is_workspace_admin.is_(True))
            .order_by(Person.display_name)
        ).all()


class Networks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_in(self, workspace_id: int) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(Network.workspace_id == workspace_id).order_by(Network.slug)
        ).all()

    def by_id(self, workspace_id: int, network_id: int) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.id == network_id)
        )

    def by_slug(self, workspace_id: int, slug: str) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.slug == slug)
        )

    def by_channel(self, workspace_id: int, channel_id: str) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(
                Network.workspace_id == workspace_id,
                Network.channel_id == channel_id,
                Network.archived.is_(False),
            )
        ).all()

    def lock(self, network: Network) -> None:
        """Serialise membership changes of one network (SQLite's writes are serial already)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                select(Network.id).where(Network.id == network.id).with_for_update()
            )

    def add(self, network: Network) -> Network:
        self.session.add(network)
        self.session.flush()
        return network


class Memberships:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self, network_id: int, person_id: int) -> Membership | None:
        """The pending or active spell of a person in a network, if any."""
        return self.session.scalar(
            select(Membership).where(
                Membership.network_id == network_id,
                Membership.person_id == person_id,
                Membership.status.in_(CURRENT_STATUSES),
            )
        )

    def by_id(self, workspace_id: int, membership_id: int, lock: bool = False) -> Membership | None:
        """A membership with its network and person; `lock` holds the row until commit."""
        query = (
            select(Membership)
            .options(
                joinedload(Membership.network, innerjoin=True),
                joinedload(Membership.person, innerjoin=True),
            )
            .where(Membership.workspace_id == workspace_id, Membership.id == membership_id)
        )
        if lock:
            query = query.with_for_update(of=Membership).execution_options(populate_existing=True)
        return self.session.scalar(query)

    def active_in(self, network_id: int) -> Sequence[Membership]:
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.person))
            .where(
                Membership.network_id == network_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.joined_at, Membership.id)
        ).all()

    def coordinators_of(self, network_id: int) -> Sequence[Person]:
        return self.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.network_id == network_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == Role.COORDINATOR,
            )
            .order_by(Person.display_name)
        ).all()

    def current_by_network(self, person_id: int) -> dict[int, Membership]:
        """A person's pending or active memberships, by network id (networks not loaded)."""
        rows = self.session.scalars(
            select(Membership).where(
                Membership.person_id == person_id, Membership.status.in_(CURRENT_STATUSES)
            )
        )
        return {membership.network_id: membership for membership in rows}

    def current_of_person(self, person_id: int) -> Sequence[Membership]:
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.network))
            .where(Membership.person_id == person_id, Membership.status.in_(CURRENT_STATUSES))
            .order_by(Membership.id)
        ).all()

    def active_count(self, network_id: int) -> int:
        """Active members of one network."""
        return (
            self.session.scalar(
                select(func.count()).where(
                    Membership.network_id == network_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
            or 0
        )

    def active_counts(self, workspace_id: int) -> dict[int, int]:
        """Active members per network id, for every network in the workspace."""
        rows = self.session.execute(
            select(Membership.network_id, func.count())
            .where(
                Membership.workspace_id == workspace_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .group_by(Membership.network_id)
        )
        return {network_id: count for network_id, count in rows}

    def start(
        self, network: Network, person_id: int, role: Role, at: datetime, pending: bool = False
    ) -> Membership:
        """A new spell: active from `at`, or a request pending since `at`."""
        membership = Membership(
            workspace_id=network.workspace_id,
            network_id=network.id,
            person_id=person_id,
            role=role,
            status=MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE,
            requested_at=at if pending else None,
            joined_at=None if pending else at,
        )
        self.session.add(membership)
        self.session.flush()
        return membership


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        *,
        workspace_id: int,
        action: AuditAction,
        at: datetime,
        actor_id: int | None = None,
        network_id: int | None = None,
        subject_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            AuditEntry(
                workspace_id=workspace_id,
                action=action,
                created_at=at,
                actor_id=actor_id,
                network_id=network_id,
                subject_id=subject_id,
                details=details or {},
            )
        )


class DeliveredEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_delivery(self, event_id: str, team_id: str, now: datetime) -> bool:
        """Record an Events API delivery; False when the same event was recorded before."""
        values = {"event_id": event_id, "team_id": team_id, "received_at": now}
        return insert_ignoring_duplicates(self.session, ProcessedEvent.__table__, values)


class Store:
    """The repositories of one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.workspaces = Workspaces(session)
        self.people = People(session)
        self.networks = Networks(session)
        self.memberships = Memberships(session)
        self.audit = AuditLog(session)
        self.events = DeliveredEvents(session)

    def flush(self) -> None:
        self.session.flush()
