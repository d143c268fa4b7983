"""Workspaces coming and going: an app installed in one, and removed from it. A removed
workspace's data is kept for the retention period, for a reinstall, and the retention job then
deletes it."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain import Platform
from bot.results.workspaces import WorkspaceIdentity
from storage.database import Database


class WorkspaceService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._identities: dict[int, WorkspaceIdentity] = {}

    def identity(self, workspace_id: int) -> WorkspaceIdentity | None:
        """The team (and organisation) of a workspace; None if there is no such workspace."""
        known = self._identities.get(workspace_id)
        if known is not None:
            return known
        with self._db.snapshot() as store:
            workspace = store.workspaces.by_id(workspace_id)
            if workspace is None:
                return None
            found = WorkspaceIdentity(workspace.team_id, workspace.enterprise_id)
        # A team's ids never change, so they are kept for the life of the process.
        self._identities[workspace_id] = found
        return found

    def installed(
        self, team_id: str, enterprise_id: str | None, name: str | None, platform: Platform
    ) -> None:
        """The app was installed in a workspace (again, perhaps): it is served from now on."""
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.ensure(team_id, name, now, platform)
            workspace.enterprise_id = enterprise_id
            workspace.uninstalled_at = None

    def uninstalled(self, team_id: str) -> None:
        """The app was removed from a workspace, or its tokens revoked."""
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.by_team(team_id)
            if workspace is not None and workspace.uninstalled_at is None:
                workspace.uninstalled_at = now
