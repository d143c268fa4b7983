"""Calendar files: one event's `.ics`, and each network's feed at an unguessable address."""

from __future__ import annotations

from datetime import timedelta

from bot import ics
from bot.clock import Clock
from bot.results.refs import Localized
from bot.services.event_cards import event_card
from storage.database import Database

# A feed keeps recent past events, so that a calendar that syncs late still sees them.
FEED_HISTORY = timedelta(days=90)


class CalendarService:
    def __init__(self, db: Database, clock: Clock, language: str) -> None:
        self._db = db
        self._clock = clock
        self._language = language

    def feed(self, token: str) -> bytes | None:
        """A network's calendar; None when no network has this token."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network = store.networks.by_calendar_token(token)
            if network is None:
                return None
            events = store.events.of_network(network.id, now - FEED_HISTORY)
            cards = [event_card(store, event, now) for event in events]
            names = Localized(fi=network.name_fi, en=network.name_en, sv=network.name_sv)
            return ics.calendar(names.in_(self._language) or network.slug, cards, now)

    def event_file(self, token: str, event_id: int) -> bytes | None:
        """One event of the network with this token, as a file to open in a calendar."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network = store.networks.by_calendar_token(token)
            event = store.events.get(event_id)
            if network is None or event is None or event.network_id != network.id:
                return None
            return ics.calendar(event.title, [event_card(store, event, now)], now)
