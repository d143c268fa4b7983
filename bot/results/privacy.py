"""What a person's privacy commands and the retention job come to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.results.refs import NetworkRef


@dataclass(frozen=True)
class StoredAboutYou:
    """How much Verkosto keeps about one person, and for how long it keeps old records."""

    memberships: int
    rsvps: int
    signals: int
    votes: int
    retention_days: int


@dataclass(frozen=True)
class PersonalExport:
    """Everything stored about one person, as JSON-ready data, with its counts."""

    data: dict[str, object]
    stored: StoredAboutYou


@dataclass(frozen=True)
class ForgetPreview:
    """What forgetting a person removes, and what it keeps without them."""

    stored: StoredAboutYou
    events_kept: int
    signals_kept: int
    sole_coordinator_of: tuple[NetworkRef, ...]


@dataclass(frozen=True)
class Forgotten:
    """What was removed when a person was forgotten."""

    memberships: int
    rsvps: int
    votes: int
    anonymous_votes_unlinked: int
    events_kept: int
    signals_kept: int


@dataclass(frozen=True)
class Pruned:
    """What the retention rule let go of in one run."""

    messages: int
    deliveries: int
    comments: int
    suggestions: int
    # Workspaces the app was removed from, with all that was kept of them.
    workspaces: int = 0
