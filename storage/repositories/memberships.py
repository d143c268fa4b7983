"""Memberships: who belongs to which network, in which role."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session, aliased, joinedload

from bot.domain import (
    CURRENT_STATUSES,
    MembershipStatus,
    Role,
)
from storage.models import (
    Membership,
    Network,
    Person,
)


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

    def latest(self, network_id: int, person_id: int) -> Membership | None:
        """A person's latest spell in a network, whatever came of it."""
        return self.session.scalar(
            select(Membership)
            .where(Membership.network_id == network_id, Membership.person_id == person_id)
            .order_by(Membership.id.desc())
            .limit(1)
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

    def people_in_common(
        self, network_ids: Collection[int], excluding: int | None = None
    ) -> tuple[int, dict[int, int], dict[int, int]]:
        """The active members of `network_ids` (`excluding` one person), counted once; how many
        of them each network they are active in has, those networks included; and each such
        network's own active members. Read through each person's own memberships, so the cost
        follows the people, not the networks' sizes; in one round trip."""
        fellows = (
            select(Membership.person_id)
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.ACTIVE,
            )
            .distinct()
        )
        if excluding is not None:
            fellows = fellows.where(Membership.person_id != excluding)
        them = fellows.cte("fellows")
        everyone = aliased(Membership)
        size = (
            select(func.count())
            .where(
                everyone.network_id == Membership.network_id,
                everyone.status == MembershipStatus.ACTIVE,
            )
            .scalar_subquery()
        )
        rows = self.session.execute(
            select(
                Membership.network_id,
                func.count(),
                size,
                select(func.count()).select_from(them).scalar_subquery(),
            )
            .join(them, them.c.person_id == Membership.person_id)
            .where(Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.network_id)
        ).all()
        return (
            rows[0][3] if rows else 0,
            {network_id: shared for network_id, shared, _, _ in rows},
            {network_id: size for network_id, _, size, _ in rows},
        )

    def joined_between(
        self, network_ids: Collection[int], start: datetime, end: datetime, named: int
    ) -> dict[int, tuple[int, list[tuple[str, str]]]]:
        """Per network, how many of its members joined in [start, end), and the first `named`
        of them (user id, display name)."""
        order = func.row_number().over(
            partition_by=Membership.network_id, order_by=(Membership.joined_at, Membership.id)
        )
        total = func.count().over(partition_by=Membership.network_id)
        joined = (
            select(
                Membership.network_id,
                Membership.person_id,
                order.label("place"),
                total.label("total"),
            )
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.ACTIVE,
                Membership.joined_at >= start,
                Membership.joined_at < end,
            )
            .subquery()
        )
        rows = self.session.execute(
            select(joined.c.network_id, joined.c.total, Person.user_id, Person.display_name)
            .join(Person, Person.id == joined.c.person_id)
            .where(joined.c.place <= named)
            .order_by(joined.c.network_id, joined.c.place)
        ).all()
        found: dict[int, tuple[int, list[tuple[str, str]]]] = {}
        for network_id, count, user_id, display_name in rows:
            found.setdefault(network_id, (count, []))[1].append((user_id, display_name))
        return found

    def pending_in(self, network_ids: Collection[int]) -> Sequence[Membership]:
        """Requests to join these networks that wait for an answer, oldest first."""
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.person), joinedload(Membership.network))
            .where(
                Membership.network_id.in_(network_ids),
                Membership.status == MembershipStatus.PENDING,
            )
            .order_by(Membership.requested_at, Membership.id)
        ).all()

    def active_pairs(self, workspace_id: int) -> list[tuple[int, int]]:
        """(network id, person id) of every active membership in the workspace."""
        return [
            (network_id, person_id)
            for network_id, person_id in self.session.execute(
                select(Membership.network_id, Membership.person_id).where(
                    Membership.workspace_id == workspace_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
        ]

    def active_counts(
        self, workspace_id: int | None = None, only: Collection[int] | None = None
    ) -> dict[int, int]:
        """Active members per network id, for every network in the workspace or `only` those
        (of whichever workspaces, without one)."""
        query = select(Membership.network_id, func.count()).where(
            Membership.status == MembershipStatus.ACTIVE
        )
        if workspace_id is not None:
            query = query.where(Membership.workspace_id == workspace_id)
        if only is not None:
            query = query.where(Membership.network_id.in_(only))
        rows = self.session.execute(query.group_by(Membership.network_id))
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
