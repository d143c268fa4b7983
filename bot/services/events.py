"""Events: announcing them, answers with a capacity and a waitlist, changes and cancellations.
Everything the bot sends about an event is queued in the outbox in the same
transaction as the change that causes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import (
    Answer,
    Attendance,
    AuditAction,
    EventStatus,
    MembershipStatus,
    MessageKind,
    Repeat,
)
from bot.errors import Conflict, Forbidden, NotFound
from bot.recurrence import local_to_utc, occurrence_days
from bot.results.events import EventAnswer, EventCancelled, EventCard, EventListing, EventSaved
from bot.results.people import Actor
from bot.results.refs import NetworkRef
from bot.services import message_keys
from bot.services.catalog import NetworkCatalog
from bot.services.event_cards import answers_open, event_card
from bot.services.event_fields import EventFields, validated_event
from bot.services.lookup import (
    can_coordinate,
    find_network,
    may_address,
    network_by_id,
    visible,
)
from bot.services.mapping import apply_changes, network_ref
from bot.services.people import Defaults
from bot.services.reminders import schedule_reminders
from storage.database import Database
from storage.models import Event, Network, Rsvp
from storage.store import Store

LISTING_LIMIT = 20
# What an edit can change, and which of those the people who answered are told about.
EDITABLE = (
    "title",
    "description",
    "place",
    "link",
    "timezone",
    "starts_at",
    "ends_at",
    "capacity",
    "rsvp_deadline",
    "reminder_minutes",
)
NOTICE_WORTHY = tuple(field for field in EDITABLE if field != "reminder_minutes")
ANSWER_TO_ATTENDANCE = {
    Answer.GOING: Attendance.GOING,
    Answer.MAYBE: Attendance.MAYBE,
    Answer.NOT_GOING: Attendance.NOT_GOING,
}


@dataclass(frozen=True)
class EditableEvent:
    """What the event form starts from: the network, and the event's values when editing
    (None for a new event, which starts in the person's own time zone)."""

    event_id: int | None
    network: NetworkRef
    fields: EventFields | None
    timezone: str


def _stored(value: Any) -> Any:
    """A column value as JSON holds it, for a change notice's "before" values."""
    return value.isoformat() if isinstance(value, datetime) else value


class EventService:
    def __init__(
        self, db: Database, clock: Clock, defaults: Defaults, catalog: NetworkCatalog
    ) -> None:
        self._db = db
        self._catalog = catalog
        self._clock = clock
        self._defaults = defaults

    # Creating and editing ----------------------------------------------------------------------

    def new_form(self, actor: Actor, name: str) -> EditableEvent:
        """An empty form for a network the actor may announce events in."""
        with self._db.snapshot() as store:
            return self._new_form(store, actor, find_network(store, self._catalog, actor, name))

    def new_form_by_id(self, actor: Actor, network_id: int) -> EditableEvent:
        """The same, for the network a form names by its id."""
        with self._db.snapshot() as store:
            return self._new_form(store, actor, network_by_id(store, actor, network_id))

    @staticmethod
    def _new_form(store: Store, actor: Actor, network: Network) -> EditableEvent:
        if not may_address(store, actor, network):
            raise Forbidden("error.forbidden.announce", network=network_ref(network))
        return EditableEvent(None, network_ref(network), None, actor.timezone)

    def create(
        self, actor: Actor, network_id: int, origin_channel: str, values: dict[str, Any]
    ) -> EventSaved:
        """Create an event (every occurrence of a repeating one) and queue its announcement, in
        the network's linked channel or else in the channel where the command was typed."""
        now = self._clock.now()
        fields = validated_event(values, now)
        with self._db.transaction() as store:
            network = network_by_id(store, actor, network_id)
            if not may_address(store, actor, network):
                raise Forbidden("error.forbidden.announce", network=network_ref(network))
            if network.archived:
                raise Conflict("error.join.archived", network=network_ref(network))
            channel_id = network.channel_id or origin_channel
            days = occurrence_days(fields.start_date, fields.repeat, fields.repeat_until)
            length = fields.ends_at - fields.starts_at
            occurrences: list[Event] = []
            for number, day in enumerate(days, start=1):
                starts_at = local_to_utc(day, fields.start_time, fields.timezone)
                deadline = fields.rsvp_deadline
                if deadline is not None and occurrences:
                    deadline = deadline + (starts_at - occurrences[0].starts_at)
                event = store.events.add(
                    Event(
                        workspace_id=actor.workspace_id,
                        network_id=network.id,
                        occurrence=number,
                        creator_id=actor.person_id,
                        title=fields.title,
                        description=fields.description,
                        place=fields.place,
                        link=fields.link,
                        timezone=fields.timezone,
                        starts_at=starts_at,
                        ends_at=starts_at + length,
                        capacity=fields.capacity,
                        rsvp_deadline=deadline,
                        reminder_minutes=list(fields.reminders),
                        repeat=fields.repeat,
                        status=EventStatus.SCHEDULED,
                        channel_id=channel_id,
                        language=self._defaults.language,
                        # Each later occurrence is announced when the one before it ends.
                        announce_at=max(occurrences[-1].ends_at, now) if occurrences else now,
                        created_at=now,
                        updated_at=now,
                    )
                )
                event.series_id = occurrences[0].id if occurrences else event.id
                occurrences.append(event)
                schedule_reminders(store, event, now)
                self._schedule_closing(store, event, now)
                _queue(
                    store,
                    event,
                    message_keys.announcement(event.id),
                    MessageKind.ANNOUNCEMENT,
                    channel_id,
                    now,
                    due_at=event.announce_at,
                )
            first = occurrences[0]
            _audit(
                store,
                actor,
                AuditAction.EVENT_CREATED,
                first,
                now,
                {"event_id": first.id, "occurrences": len(occurrences)},
            )
            return EventSaved(
                event=event_card(store, first, now),
                occurrences=len(occurrences),
                channel_id=channel_id,
                created=True,
                queued=tuple(store.outbox.ids_by_keys([message_keys.announcement(first.id)])),
            )

    def editable(self, actor: Actor, event_id: int) -> EditableEvent:
        """An event's values for the edit form, for its creator and the coordinators."""
        with self._db.snapshot() as store:
            event = self._event(store, actor, event_id)
            self._require_manager(store, actor, event)
            self._require_scheduled(event)
            zone = ZoneInfo(event.timezone)
            start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
            # Not validated again: an event under way has a start in the past.
            fields = EventFields.model_construct(
                title=event.title,
                start_date=start.date(),
                start_time=start.time(),
                end_date=end.date(),
                end_time=end.time(),
                timezone=event.timezone,
                place=event.place,
                link=event.link,
                description=event.description,
                capacity=event.capacity,
                rsvp_deadline=event.rsvp_deadline,
                reminders=tuple(event.reminder_minutes),
            )
            return EditableEvent(event.id, network_ref(event.network), fields, event.timezone)

    def update(self, actor: Actor, event_id: int, values: dict[str, Any]) -> EventSaved:
        """Edit one occurrence; everyone who answered is told what changed."""
        now = self._clock.now()
        with self._db.transaction() as store:
            event = self._event(store, actor, event_id, lock=True)
            self._require_manager(store, actor, event)
            self._require_scheduled(event)
            fields = validated_event(
                {**values, "repeat": Repeat.NONE, "repeat_until": None},
                now,
                unchanged_start=event.starts_at,
            )
            before = {name: getattr(event, name) for name in EDITABLE}
            changed = apply_changes(
                event,
                {
                    "title": fields.title,
                    "description": fields.description,
                    "place": fields.place,
                    "link": fields.link,
                    "timezone": fields.timezone,
                    "starts_at": fields.starts_at,
                    "ends_at": fields.ends_at,
                    "capacity": fields.capacity,
                    "rsvp_deadline": fields.rsvp_deadline,
                    "reminder_minutes": list(fields.reminders),
                },
                now,
            )
            keys: list[str] = []
            if changed:
                event.revision += 1
                schedule_reminders(store, event, now)
                self._schedule_closing(store, event, now)
                keys += self._promote_while_seats(store, event, now)
                worth_telling = [name for name in changed if name in NOTICE_WORTHY]
                if worth_telling:
                    payload = {
                        "event_id": event.id,
                        "changed": worth_telling,
                        "before": {name: _stored(before[name]) for name in worth_telling},
                    }
                    keys += self._tell_everyone_who_answered(
                        store, event, MessageKind.EVENT_CHANGED, payload, now
                    )
                keys.append(self._refresh_announcement(store, event, now))
                details = {"event_id": event.id, "changed": changed}
                _audit(store, actor, AuditAction.EVENT_EDITED, event, now, details)
            return EventSaved(
                event=event_card(store, event, now),
                occurrences=1,
                channel_id=event.channel_id,
                created=False,
                changed=tuple(changed),
                queued=tuple(store.outbox.ids_by_keys(keys)),
            )

    def cancel(self, actor: Actor, event_id: int) -> EventCancelled:
        """Cancel one occurrence: no reminders, the announcement says so, and everyone who
        answered is told."""
        now = self._clock.now()
        with self._db.transaction() as store:
            event = self._event(store, actor, event_id, lock=True)
            self._require_manager(store, actor, event)
            self._require_scheduled(event)
            event.status = EventStatus.CANCELLED
            event.revision += 1
            event.updated_at = now
            store.reminders.cancel_pending(event.id)
            store.outbox.cancel_pending(message_keys.reminders_of(event.id))
            store.outbox.cancel_pending(message_keys.announcement(event.id))
            notices = self._tell_everyone_who_answered(
                store, event, MessageKind.EVENT_CANCELLED, {"event_id": event.id}, now
            )
            refresh = self._refresh_announcement(store, event, now)
            _audit(store, actor, AuditAction.EVENT_CANCELLED, event, now, {"event_id": event.id})
            return EventCancelled(
                event=event_card(store, event, now),
                notified=len(notices),
                queued=tuple(store.outbox.ids_by_keys([*notices, refresh])),
            )

    # Answers -----------------------------------------------------------------------------------

    def answer(self, actor: Actor, event_id: int, answer: Answer) -> EventAnswer:
        """Answer an event. Choosing one's current answer again withdraws it. Going takes a
        seat, or a place on the waitlist when the event is full; a seat given up goes to the
        first person waiting."""
        now = self._clock.now()
        with self._db.transaction() as store:
            event = self._event(store, actor, event_id, lock=True)
            if event.status is EventStatus.CANCELLED:
                raise Conflict("error.event.cancelled", title=event.title)
            if not answers_open(event, now):
                raise Conflict("error.event.answers_closed", title=event.title)
            current = store.rsvps.of(event.id, actor.person_id)
            was_going = current is not None and current.attendance is Attendance.GOING
            wanted = ANSWER_TO_ATTENDANCE[answer]
            same = current is not None and (
                current.attendance is wanted
                or (wanted is Attendance.GOING and current.attendance is Attendance.WAITLISTED)
            )
            attendance: Attendance | None
            if same:
                assert current is not None
                store.rsvps.remove(current)
                attendance = None
            else:
                going, order = store.rsvps.going_and_next_place(event.id)
                if wanted is Attendance.GOING:
                    seats_left = event.capacity is None or going < event.capacity
                    attendance = Attendance.GOING if seats_left else Attendance.WAITLISTED
                else:
                    attendance = wanted
                if current is None:
                    current = store.rsvps.add(
                        Rsvp(
                            workspace_id=actor.workspace_id,
                            event_id=event.id,
                            person_id=actor.person_id,
                            attendance=attendance,
                            queue_order=order,
                            answered_at=now,
                        )
                    )
                else:
                    current.attendance = attendance
                    current.queue_order = order
                    current.answered_at = now
                    store.flush()
            keys = self._promote_while_seats(store, event, now) if was_going else []
            keys.append(self._refresh_announcement(store, event, now))
            place = None
            if attendance is Attendance.WAITLISTED and current is not None:
                place = store.rsvps.waiting_ahead(current) + 1
            return EventAnswer(
                event_id=event.id,
                title=event.title,
                attendance=attendance,
                waitlist_place=place,
                queued=tuple(store.outbox.ids_by_keys(keys)),
            )

    # Reading -----------------------------------------------------------------------------------

    def card(self, workspace_id: int, event_id: int) -> EventCard | None:
        """An event as its messages show it now; None if it no longer exists."""
        with self._db.snapshot() as store:
            event = store.events.by_id(workspace_id, event_id)
            return event_card(store, event, self._clock.now()) if event else None

    def upcoming(self, actor: Actor, name: str | None = None) -> EventListing:
        """Upcoming events of one network, or of every network the actor belongs to."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            network_ref_: NetworkRef | None = None
            if name:
                network = find_network(store, self._catalog, actor, name)
                network_ids = [network.id]
                network_ref_ = network_ref(network)
            else:
                mine = store.memberships.current_by_network(actor.person_id)
                network_ids = [
                    network_id
                    for network_id, membership in mine.items()
                    if membership.status is MembershipStatus.ACTIVE
                ]
            events = store.events.upcoming(actor.workspace_id, network_ids, now, LISTING_LIMIT)
            cards = tuple(event_card(store, event, now) for event in events)
            answers = {}
            for event in events:
                rsvp = store.rsvps.of(event.id, actor.person_id)
                if rsvp is not None:
                    answers[event.id] = rsvp.attendance
            networks = {event.network_id: event.network for event in events}
            coordinated = {
                network_id
                for network_id, network in networks.items()
                if can_coordinate(store, actor, network)
            }
            manageable = frozenset(
                event.id
                for event in events
                if event.creator_id == actor.person_id or event.network_id in coordinated
            )
            return EventListing(network_ref_, cards, answers, manageable)

    # Helpers -----------------------------------------------------------------------------------

    def _event(self, store: Store, actor: Actor, event_id: int, lock: bool = False) -> Event:
        """An event the actor can see; a forged or outdated id is refused as not found. What
        the actor belongs to is read before the event is locked, to hold the lock briefly."""
        mine = store.memberships.current_by_network(actor.person_id)
        event = store.events.by_id(actor.workspace_id, event_id, lock=lock)
        if event is None:
            raise NotFound("error.stale_action")
        visible(store, actor, event.network, mine)
        return event

    @staticmethod
    def _require_manager(store: Store, actor: Actor, event: Event) -> None:
        if event.creator_id != actor.person_id and not can_coordinate(store, actor, event.network):
            raise Forbidden("error.forbidden.event", title=event.title)

    @staticmethod
    def _require_scheduled(event: Event) -> None:
        if event.status is EventStatus.CANCELLED:
            raise Conflict("error.event.cancelled", title=event.title)

    @staticmethod
    def _schedule_closing(store: Store, event: Event, now: datetime) -> None:
        """Refresh the announcement when answers close (the deadline, then the start), so that
        its buttons say so."""
        for closes in (event.rsvp_deadline, event.starts_at):
            if closes is None or closes <= now:
                continue
            key = message_keys.answers_closing(event.id, int(closes.timestamp()))
            kind = MessageKind.ANNOUNCEMENT_REFRESH
            _queue(store, event, key, kind, event.channel_id, now, due_at=closes)

    @staticmethod
    def _promote_while_seats(store: Store, event: Event, now: datetime) -> list[str]:
        """Move people up from the waitlist while there are seats; their messages' keys."""
        keys = []
        while event.capacity is None or store.rsvps.count(event.id, Attendance.GOING) < (
            event.capacity
        ):
            waiting = store.rsvps.first_waiting(event.id)
            if waiting is None:
                break
            waiting.attendance = Attendance.GOING
            store.flush()
            key = message_keys.promotion(event.id, waiting.person_id, waiting.queue_order)
            _queue(store, event, key, MessageKind.PROMOTION, waiting.person.user_id, now)
            keys.append(key)
        return keys

    @staticmethod
    def _tell_everyone_who_answered(
        store: Store, event: Event, kind: MessageKind, payload: dict[str, Any], now: datetime
    ) -> list[str]:
        keys = []
        for rsvp in store.rsvps.of_event(event.id):
            key = message_keys.event_notice(event.id, kind.value, event.revision, rsvp.person_id)
            _queue(store, event, key, kind, rsvp.person.user_id, now, payload=payload)
            keys.append(key)
        return keys

    @staticmethod
    def _refresh_announcement(store: Store, event: Event, now: datetime) -> str:
        key = message_keys.announcement_refresh(event.id)
        store.outbox.put_or_rearm(
            workspace_id=event.workspace_id,
            network_id=event.network_id,
            key=key,
            kind=MessageKind.ANNOUNCEMENT_REFRESH,
            recipient=event.channel_id,
            now=now,
            payload={"event_id": event.id},
        )
        return key


def _queue(
    store: Store,
    event: Event,
    key: str,
    kind: MessageKind,
    recipient: str,
    now: datetime,
    *,
    due_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Queue a message about `event`, due at `due_at` (now by default); `payload` is the
    event's id unless given."""
    store.outbox.put(
        workspace_id=event.workspace_id,
        network_id=event.network_id,
        key=key,
        kind=kind,
        recipient=recipient,
        due_at=due_at or now,
        now=now,
        payload=payload or {"event_id": event.id},
    )


def _audit(
    store: Store,
    actor: Actor,
    action: AuditAction,
    event: Event,
    now: datetime,
    details: dict[str, Any],
) -> None:
    """Record what `actor` did to an event of a network."""
    store.audit.record(
        workspace_id=actor.workspace_id,
        action=action,
        at=now,
        actor_id=actor.person_id,
        network_id=event.network_id,
        details=details,
    )
