"""The benchmarks' database: migrated and empty, and never one that holds data unless asked."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.domain import MembershipStatus, Role
from storage.database import Database
from storage.migrate import upgrade
from storage.models import Base, Membership, Network, Person, Workspace


def fresh_database(url: str, wipe: bool) -> Database:
    """The database at `url`, migrated and emptied. One that holds data is refused (the process
    exits) unless `wipe` says emptying it is intended, as for the tests' database."""
    db = Database(url)
    upgrade(db)
    with db.snapshot() as store:
        if store.workspaces.all() and not wipe:
            sys.exit(f"{db.url.render_as_string()} holds data; pass --wipe to empty it")
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    return db


def add_members(db: Database, team_id: str, slug: str, user_ids: Sequence[str]) -> None:
    """People made active members of a network at once, the first of them its coordinator."""
    now = datetime.now(UTC)
    with db.transaction() as store:
        workspace = store.session.scalar(select(Workspace).where(Workspace.team_id == team_id))
        network = store.session.scalar(select(Network).where(Network.slug == slug))
        assert workspace is not None and network is not None
        for number, user_id in enumerate(user_ids):
            person = Person(
                workspace_id=workspace.id,
                user_id=user_id,
                display_name=f"Person {user_id}",
                created_at=now,
                updated_at=now,
            )
            store.session.add(person)
            store.session.flush()
            store.session.add(
                Membership(
                    workspace_id=workspace.id,
                    network_id=network.id,
                    person_id=person.id,
                    role=Role.COORDINATOR if number == 0 else Role.MEMBER,
                    status=MembershipStatus.ACTIVE,
                    joined_at=now,
                )
            )
