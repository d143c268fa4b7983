"""The workspace the stand-in keeps: its ids, people and channels, as Slack describes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BOT_TOKEN = "xoxb-verkosto-stand-in"
TEAM_ID = "T0VERKOSTO"
TEAM_DOMAIN = "verkosto-demo"
BOT_USER_ID = "U0VERKOSTOBOT"
BOT_ID = "B0VERKOSTO"
APP_ID = "A0VERKOSTO"
# The app's OAuth credentials, as the stand-in knows them (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET).
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "stand-in-client-secret"


@dataclass(frozen=True)
class Install:
    """Where a token works: a workspace, or with `is_enterprise_install` a whole Enterprise
    Grid organisation (no team of its own)."""

    team_id: str | None
    team_name: str | None = None
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    is_enterprise_install: bool = False


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/Helsinki"
    is_admin: bool = False
    deleted: bool = False
    # When the profile last changed (Unix seconds), as Slack tells it.
    updated: int = 1_764_000_000
    # Their own team: another organisation's for someone in a shared channel (Slack Connect).
    team_id: str = TEAM_ID
    # Their Enterprise Grid organisation, if their team belongs to one.
    enterprise_id: str | None = None

    def as_api(self) -> dict[str, Any]:
        grid = (
            {"enterprise_user": {"id": self.id, "enterprise_id": self.enterprise_id}}
            if self.enterprise_id
            else {}
        )
        return {
            **grid,
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.real_name,
            "tz": self.tz,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_bot": False,
            "deleted": self.deleted,
            "updated": self.updated,
            "profile": {"display_name": self.real_name, "real_name": self.real_name},
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)

    def as_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_member": BOT_USER_ID in self.members,
            "num_members": len(self.members),
        }
