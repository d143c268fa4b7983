"""People as the core knows them: who acts, whom the bot writes to, and what the platform
tells about them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipient:
    """Someone the bot writes to on its own, in their language."""

    user_id: str
    display_name: str
    language: str
    timezone: str


@dataclass(frozen=True)
class Actor:
    """The person acting in a request, as the services know them."""

    workspace_id: int
    team_id: str
    person_id: int
    user_id: str
    display_name: str
    language: str
    timezone: str
    is_workspace_admin: bool = False


@dataclass(frozen=True)
class Profile:
    """What the platform tells about a person: when the bot first meets them, when their
    profile changes, and when the bot asks again. `timezone` None: not told. `version` orders
    profiles (Slack's `updated`), so that an older one never replaces a newer."""

    display_name: str
    timezone: str | None = None
    is_workspace_admin: bool = False
    version: int | None = None
    # The language of the person's app (Teams tells it with every activity): theirs from the
    # first meeting until they choose one.
    language: str | None = None
    # Someone from another organisation (Slack Connect): its Grid organisation's id, or their
    # own team's where it belongs to none; None for the workspace's own people. Only a profile
    # read as seen from the person's workspace (`judged_organisation`) says which; any other
    # leaves it as it was.
    organisation: str | None = None
    judged_organisation: bool = False
