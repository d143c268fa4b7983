"""People: who they are, what they chose, when they were last seen."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.domain import (
    DigestFrequency,
    DigestSubject,
    MembershipStatus,
    Platform,
)
from storage.models import (
    Membership,
    Person,
    Workspace,
)
from storage.repositories.sql import digest_decided, insert_ignoring_duplicates


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def away(
        self, frequency: DigestFrequency, since: datetime, after_id: int, limit: int
    ) -> Sequence[Person]:
        """People after `after_id` who take the digest this often, were known before `since`
        and have not used the bot since, who belong to a network and whose digest for the
        period starting at `since` is yet to be decided; by id."""
        member = (
            select(Membership.id)
            .where(Membership.person_id == Person.id, Membership.status == MembershipStatus.ACTIVE)
            .exists()
        )
        return self.session.scalars(
            select(Person)
            .where(
                Person.id > after_id,
                Person.digest_frequency == frequency,
                Person.created_at < since,
                or_(Person.last_seen_at.is_(None), Person.last_seen_at < since),
                member,
                ~digest_decided(DigestSubject.PERSON, Person.id, since),
            )
            .order_by(Person.id)
            .limit(limit)
        ).all()

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

    def take_profile(
        self,
        person_id: int,
        values: dict[str, Any],
        version: int | None,
        due_before: datetime | None = None,
    ) -> bool:
        """Store what the platform said of the person, unless what is stored is a newer version
        of their profile, or (with `due_before`, for a read made because the profile was last
        read before it) the profile has been read or changed since; True when stored. One
        statement: a read of the profile that raced a change cannot put back what the change
        took away."""
        query = update(Person).where(Person.id == person_id)
        if version is not None:
            not_older = Person.profile_version.is_(None) | (Person.profile_version <= version)
            query = query.where(not_older)
        if due_before is not None:
            checked = Person.profile_checked_at
            query = query.where(checked.is_(None) | (checked < due_before))
        return self.session.execute(query.values(**values).returning(Person.id)).first() is not None

    def profiles_due(
        self, before: datetime, limit: int, platforms: Collection[Platform]
    ) -> list[tuple[int, str, str, Platform]]:
        """(id, team id, user id, platform) of people in workspaces on `platforms` (where the
        app is still installed) seen since `before` whose profile was last read before it (or
        never), the longest unread first."""
        query = (
            select(Person.id, Workspace.team_id, Person.user_id, Workspace.platform)
            .join(Workspace, Workspace.id == Person.workspace_id)
            .where(
                Workspace.platform.in_(platforms),
                Workspace.uninstalled_at.is_(None),
                Person.last_seen_at >= before,
                Person.profile_checked_at.is_(None) | (Person.profile_checked_at < before),
            )
            .order_by(Person.profile_checked_at.asc().nulls_first(), Person.id)
            .limit(limit)
        )
        return [
            (row.id, row.team_id, row.user_id, row.platform) for row in self.session.execute(query)
        ]

    def organisations_of(self, person_ids: Collection[int]) -> dict[int, str]:
        """The other organisation of each of these people who is from one (Slack Connect)."""
        query = select(Person.id, Person.organisation_id).where(
            Person.id.in_(person_ids), Person.organisation_id.is_not(None)
        )
        return {row.id: row.organisation_id for row in self.session.execute(query)}

    def seen(self, person_id: int, now: datetime) -> None:
        """Note that the person used the bot now."""
        self.session.execute(update(Person).where(Person.id == person_id).values(last_seen_at=now))

    def by_id(self, workspace_id: int, person_id: int) -> Person | None:
        return self.session.scalar(
            select(Person).where(Person.workspace_id == workspace_id, Person.id == person_id)
        )

    def workspace_admins(self, workspace_id: int) -> Sequence[Person]:
        return self.session.scalars(
            select(Person)
            .where(Person.workspace_id == workspace_id, Person.is_workspace_admin.is_(True))
            .order_by(Person.display_name)
        ).all()
