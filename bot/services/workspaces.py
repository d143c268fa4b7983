"""Workspaces coming and going: an app installed in one, and removed from it. A removed
workspace's data is kept for the retention period, for a reinstall, and the retention job then
deletes it."""

from __future__ import annotations

import secrets

from bot.clock import Clock
from bot.domain import Platform
from bot.results.workspaces import WorkspaceIdentity
from storage.database import Database
from storage.models import Workspace


class WorkspaceService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        # The teams whose organisation this process has already noted.
        self._noted: set[tuple[str, str]] = set()

    def note_organisation(self, team_id: str, enterprise_id: str) -> None:
        """A workspace seen to belong to an Enterprise Grid organisation (with one token, no
        install tells it): kept, so that the worker tells the organisation's own people from
        others' as requests do. Written once per process and team."""
        if (team_id, enterprise_id) in self._noted:
            return
        with self._db.transaction() as store:
            workspace = store.workspaces.by_team(team_id)
            if workspace is not None and workspace.enterprise_id != enterprise_id:
                workspace.enterprise_id = enterprise_id
        self._noted.add((team_id, enterprise_id))

    def identity(self, workspace_id: int) -> WorkspaceIdentity | None:
        """The team (and organisation) of a workspace; None if there is no such workspace."""
        with self._db.snapshot() as store:
            workspace = store.workspaces.by_id(workspace_id)
            return None if workspace is None else _identity(workspace)

    def identity_of_team(self, team_id: str) -> WorkspaceIdentity | None:
        """The same, by the workspace's team id."""
        with self._db.snapshot() as store:
            workspace = store.workspaces.by_team(team_id)
            return None if workspace is None else _identity(workspace)

    def installed(
        self, team_id: str, enterprise_id: str | None, name: str | None, platform: Platform
    ) -> None:
        """The app was installed in a workspace (again, perhaps): it is served from now on."""
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.ensure(team_id, name, now, platform)
            workspace.enterprise_id = enterprise_id
            if workspace.uninstalled_at is not None:
                workspace.uninstalled_at = None
                # Its networks are back on the web directory: what holds them is stale.
                workspace.networks_version = secrets.token_hex(16)

    def uninstalled(self, team_id: str) -> None:
        """The app was removed from a workspace, or its tokens revoked."""
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.by_team(team_id)
            if workspace is not None and workspace.uninstalled_at is None:
                workspace.uninstalled_at = now
                # Its networks leave the web directory: what holds them is stale.
                workspace.networks_version = secrets.token_hex(16)


def _identity(workspace: Workspace) -> WorkspaceIdentity:
    return WorkspaceIdentity(workspace.team_id, workspace.enterprise_id)
