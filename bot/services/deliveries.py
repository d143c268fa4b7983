"""Platform deliveries already handled: the same event delivered twice is handled once."""

from __future__ import annotations

from bot.clock import Clock
from storage.database import Database


class DeliveryLog:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def first_time(self, team_id: str, event_id: str) -> bool:
        """Record a delivery; False when this event was recorded before (a retry)."""
        with self._db.transaction() as store:
            return store.deliveries.first_delivery(event_id, team_id, self._clock.now())
