"""Workspaces as the platform adapters need them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkspaceIdentity:
    """Which team (or tenant) a workspace is, and its Enterprise Grid organisation if any."""

    team_id: str
    enterprise_id: str | None = None
