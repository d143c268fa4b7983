"""Event reminders: one per chosen time before the start, fired once by the worker into the
outbox, as a message for each person going."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import EventStatus, MessageKind, ReminderState
from bot.services import message_keys
from storage.database import Database
from storage.models import Event, EventReminder, Person
from storage.store import Store

BATCH = 500


def schedule_reminders(store: Store, event: Event, now: datetime) -> None:
    """One reminder per chosen time that is still ahead; one whose time has passed is not sent
    late, and one already sent is not sent again. Called when an event is made or changed."""
    existing = store.reminders.of_event(event.id)
    for minutes in event.reminder_minutes:
        due = event.starts_at - timedelta(minutes=minutes)
        reminder = existing.get(minutes)
        if reminder is None:
            if due > now:
                store.reminders.add(event.id, minutes, due)
        elif reminder.state is not ReminderState.FIRED:
            reminder.due_at = due
            reminder.state = ReminderState.PENDING if due > now else ReminderState.CANCELLED
    for minutes, reminder in existing.items():
        if minutes not in event.reminder_minutes and reminder.state is ReminderState.PENDING:
            reminder.state = ReminderState.CANCELLED


class ReminderService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def fire_due(self, batch: int = BATCH) -> int:
        """Queue a message for each person going to each event whose reminder time has come;
        the number queued. Each reminder fires once, however many workers run this."""
        queued = 0
        while True:
            now = self._clock.now()
            with self._db.transaction() as store:
                due = store.reminders.claim_due(now, batch)
                closest = _closest_to_start(due)
                # A reminder after the start, or of a cancelled event, helps nobody.
                live = {
                    event.id: event
                    for event in store.events.by_ids(list(closest))
                    if event.status is EventStatus.SCHEDULED and event.starts_at > now
                }
                going = store.rsvps.going_with_reminders(list(live))
                for event_id, reminder in closest.items():
                    if event_id in live:
                        queued += _fire(store, live[event_id], reminder, going[event_id], now)
                    else:
                        reminder.state = ReminderState.CANCELLED
            if len(due) < batch:
                return queued


def _closest_to_start(due: list[EventReminder]) -> dict[int, EventReminder]:
    """Per event, the due reminder closest to its start; the others are dropped. When several
    are due at once (the worker was away), "tomorrow" would be wrong on the day itself."""
    closest: dict[int, EventReminder] = {}
    for reminder in sorted(due, key=lambda r: r.minutes_before, reverse=True):
        superseded = closest.get(reminder.event_id)
        if superseded is not None:
            superseded.state = ReminderState.CANCELLED
        closest[reminder.event_id] = reminder
    return closest


def _fire(
    store: Store, event: Event, reminder: EventReminder, going: list[Person], now: datetime
) -> int:
    """Queue the reminder's message for each person going; how many were queued."""
    queued = 0
    for person in going:
        queued += store.outbox.put(
            workspace_id=event.workspace_id,
            network_id=event.network_id,
            key=message_keys.reminder(event.id, reminder.minutes_before, person.id),
            kind=MessageKind.REMINDER,
            recipient=person.user_id,
            due_at=now,
            now=now,
            payload={"event_id": event.id, "minutes_before": reminder.minutes_before},
        )
    reminder.state = ReminderState.FIRED
    return queued
