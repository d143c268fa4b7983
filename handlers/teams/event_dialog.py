"""The event form in Teams: a dialog to announce or edit an event, and reading what was
submitted. The answer-by moment is a date and a time in the event's time zone (a card has no
date-and-time input)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from microsoft_teams.cards import CardElement

from bot.clock import is_time_zone
from bot.domain import Repeat
from bot.i18n import Translator
from bot.results.events import EventSaved
from bot.services.event_fields import (
    DEFAULT_REMINDERS,
    MAX_EVENT_DESCRIPTION_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_TITLE_LENGTH,
    REMINDER_CHOICES,
    zone_choices,
)
from bot.services.events import EditableEvent
from handlers.teams.cards import name_of, say, text
from handlers.teams.dialogs import (
    Errors,
    Values,
    choice_field,
    date_field,
    enum_choices,
    many_values,
    number_field,
    text_field,
    text_value,
    time_field,
)

FORM = "event"
PREFIX = "event_form"
DEADLINE_DATE, DEADLINE_TIME = "rsvp_deadline_date", "rsvp_deadline_time"
FIELDS = (
    "title",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "timezone",
    "place",
    "link",
    "description",
    "capacity",
    DEADLINE_DATE,
    DEADLINE_TIME,
    "reminders",
    "repeat",
    "repeat_until",
)
# The core names the answer-by moment as one field; the dialog shows it as two.
SHOWN_AS = {"rsvp_deadline": DEADLINE_DATE}


def current_values(form: EditableEvent) -> dict[str, Any]:
    """The form's values as it opens: the event's, or a new event's defaults."""
    fields = form.fields
    if fields is None:
        return {"timezone": form.timezone, "reminders": list(DEFAULT_REMINDERS)}
    values = fields.model_dump()
    deadline = fields.rsvp_deadline
    if deadline is not None:
        local = deadline.astimezone(ZoneInfo(fields.timezone))
        values[DEADLINE_DATE], values[DEADLINE_TIME] = local.date(), local.time()
    return values


def event_form(
    t: Translator, form: EditableEvent, values: Values, errors: Errors
) -> list[CardElement]:
    """The form's fields, filled with `values`, each problem of `errors` under its field."""
    editing = form.event_id is not None
    zones = [(zone, zone) for zone in zone_choices(form.timezone, t.timezone.key)]
    reminders = [(t(f"{PREFIX}.reminder_{m}"), str(m)) for m in REMINDER_CHOICES]
    shown = dict(values)
    if isinstance(values.get("reminders"), list | tuple):
        shown["reminders"] = [str(minutes) for minutes in values["reminders"]]
    body: list[CardElement] = [text(say(t, f"{PREFIX}.intro", network=name_of(form.network, t)))]
    body += text_field(t, PREFIX, "title", shown, errors, limit=MAX_TITLE_LENGTH, required=True)
    body += date_field(t, PREFIX, "start_date", shown, errors, required=True)
    body += time_field(t, PREFIX, "start_time", shown, errors, required=True)
    body += date_field(t, PREFIX, "end_date", shown, errors)
    body += time_field(t, PREFIX, "end_time", shown, errors, required=True)
    body += choice_field(t, PREFIX, "timezone", zones, shown, errors, required=True)
    body += text_field(t, PREFIX, "place", shown, errors, limit=MAX_PLACE_LENGTH)
    body += text_field(t, PREFIX, "link", shown, errors, limit=500, hint=f"{PREFIX}.link_hint")
    body += text_field(
        t,
        PREFIX,
        "description",
        shown,
        errors,
        limit=MAX_EVENT_DESCRIPTION_LENGTH,
        multiline=True,
    )
    body += number_field(t, PREFIX, "capacity", shown, errors, hint=f"{PREFIX}.capacity_hint")
    body += date_field(t, "teams", DEADLINE_DATE, shown, errors)
    body += time_field(t, "teams", DEADLINE_TIME, shown, errors)
    body += choice_field(t, PREFIX, "reminders", reminders, shown, errors, many=True)
    if editing:
        body.append(text(say(t, f"{PREFIX}.one_occurrence"), subtle=True))
    else:
        repeats = enum_choices(t, Repeat)
        body += choice_field(
            t, PREFIX, "repeat", repeats, {"repeat": Repeat.NONE.value, **shown}, errors
        )
        body += date_field(t, PREFIX, "repeat_until", shown, errors)
    return body


def submitted_event(data: Values) -> dict[str, Any]:
    """The submitted form as plain values for `EventFields`; what is missing stays None, so
    that the validation names the field."""
    zone = text_value(data, "timezone")
    return {
        "title": text_value(data, "title"),
        "start_date": text_value(data, "start_date"),
        "start_time": text_value(data, "start_time"),
        "end_date": text_value(data, "end_date"),
        "end_time": text_value(data, "end_time"),
        "timezone": zone,
        "place": text_value(data, "place"),
        "link": text_value(data, "link"),
        "description": text_value(data, "description"),
        "capacity": text_value(data, "capacity"),
        "rsvp_deadline": _deadline(data, zone),
        "reminders": [
            int(value)
            for value in many_values(data, "reminders")
            if value.isascii() and value.isdigit() and len(value) < 7
        ],
        "repeat": text_value(data, "repeat") or Repeat.NONE.value,
        "repeat_until": text_value(data, "repeat_until"),
    }


def _deadline(data: Values, zone: str | None) -> datetime | str | None:
    """The answer-by moment in the event's zone; what cannot be read goes on as typed, for the
    validation to name."""
    day, clock = text_value(data, DEADLINE_DATE), text_value(data, DEADLINE_TIME)
    if day is None and clock is None:
        return None
    try:
        moment = datetime.combine(date.fromisoformat(day or ""), time.fromisoformat(clock or ""))
    except ValueError:
        return f"{day or ''}T{clock or ''}"
    return moment.replace(tzinfo=ZoneInfo(zone if zone and is_time_zone(zone) else "UTC"))


def saved_words(t: Translator, saved: EventSaved) -> str:
    """What the form's author is told once it is saved."""
    card = saved.event
    if saved.created:
        words = say(t, "teams.event_created", title=card.title)
        if saved.occurrences > 1:
            words += "\n" + say(t, f"{PREFIX}.occurrences", count=saved.occurrences)
        return words
    if saved.changed:
        return say(t, f"{PREFIX}.saved", title=card.title)
    return say(t, f"{PREFIX}.unchanged", title=card.title)
