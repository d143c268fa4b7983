"""Workspaces: a Slack team or a Teams tenant."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.orm import Session

from bot.domain import Platform
from storage.models import (
    Workspace,
)
from storage.repositories.sql import insert_ignoring_duplicates


class Workspaces:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_id(self, workspace_id: int) -> Workspace | None:
        return self.session.get(Workspace, workspace_id)

    def by_team(self, team_id: str) -> Workspace | None:
        return self.session.scalar(select(Workspace).where(Workspace.team_id == team_id))

    def ensure(
        self,
        team_id: str,
        name: str | None,
        now: datetime,
        platform: Platform,
    ) -> Workspace:
        """The workspace for a team (or tenant), created on first sight on its platform."""
        values = {"team_id": team_id, "name": name, "created_at": now, "platform": platform}
        insert_ignoring_duplicates(self.session, Workspace.__table__, values)
        workspace = self.by_team(team_id)
        assert workspace is not None
        return workspace

    def platforms_of(self, workspace_ids: Collection[int]) -> dict[int, Platform]:
        """Which platform each of these workspaces is on."""
        query = select(Workspace.id, Workspace.platform).where(Workspace.id.in_(workspace_ids))
        return {row.id: row.platform for row in self.session.execute(query)}

    def all(self) -> Sequence[Workspace]:
        return self.session.scalars(select(Workspace).order_by(Workspace.id)).all()

    def networks_version(self, workspace_id: int) -> str:
        """A value that changes whenever one of the workspace's networks is created or changed."""
        return (
            self.session.scalar(
                select(Workspace.networks_version).where(Workspace.id == workspace_id)
            )
            or ""
        )

    def delete_removed(self, before: datetime) -> int:
        """Delete the workspaces the app was removed from before `before`, and with them (by
        their foreign keys) everything kept of them; how many."""
        removed = self.session.execute(delete(Workspace).where(Workspace.uninstalled_at < before))
        return removed.rowcount or 0
