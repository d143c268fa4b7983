"""The platforms one worker serves: how it sends the outbox on each, and how it reads people's
profiles again where the platform has to be asked (Slack; Teams tells a person's profile with
every activity). A worker serving several platforms sends each message on its workspace's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain import Platform
from bot.services.outbox import Deliver, OutboxItem, Sent
from bot.services.people import WorkspaceProfileLoader


@dataclass(frozen=True)
class Served:
    deliver: Deliver
    load_profile: WorkspaceProfileLoader | None = None


class ServedPlatforms:
    """What a worker does on each platform it serves."""

    def __init__(self, served: Mapping[Platform, Served]) -> None:
        self._served = dict(served)

    @classmethod
    def one(
        cls,
        platform: Platform,
        deliver: Deliver,
        load_profile: WorkspaceProfileLoader | None = None,
    ) -> ServedPlatforms:
        return cls({platform: Served(deliver, load_profile)})

    @property
    def platforms(self) -> frozenset[Platform]:
        return frozenset(self._served)

    @property
    def profile_loaders(self) -> dict[Platform, WorkspaceProfileLoader]:
        return {p: s.load_profile for p, s in self._served.items() if s.load_profile is not None}

    def deliver(self, item: OutboxItem) -> Sent:
        """Send `item` on its workspace's platform (the outbox gives a worker only those)."""
        return self._served[item.platform].deliver(item)
