"""What an event is made of, validated with pydantic, for the event form."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from bot.clock import is_time_zone
from bot.domain import Repeat
from bot.errors import FormInvalid, InvalidInput
from bot.recurrence import local_to_utc
from bot.services.network_fields import problems

MAX_TITLE_LENGTH = 150
MAX_PLACE_LENGTH = 300
MAX_LINK_LENGTH = 500
MAX_EVENT_DESCRIPTION_LENGTH = 3000
MAX_CAPACITY = 100_000
# Reminder choices, in minutes before the start; the default is a day and an hour before.
REMINDER_CHOICES = (7 * 24 * 60, 24 * 60, 60, 15)
DEFAULT_REMINDERS = (24 * 60, 60)
# Offered in the time zone menu besides the person's own zone and the event's.
COMMON_ZONES = (
    "Europe/Helsinki",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Brussels",
    "Europe/London",
    "UTC",
)


def zone_choices(*first: str) -> list[str]:
    """The time zones a form offers: `first` (the event's, the person's), then the common ones."""
    seen: list[str] = []
    for zone in (*first, *COMMON_ZONES):
        if zone and zone not in seen:
            seen.append(zone)
    return seen


def _link(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise PydanticCustomError("link", "a web address starting with https://")
    return value


def _zone(value: str) -> str:
    if not is_time_zone(value):
        raise PydanticCustomError("timezone", "a time zone such as Europe/Helsinki")
    return value


def _reminders(values: tuple[int, ...]) -> tuple[int, ...]:
    if any(value not in REMINDER_CHOICES for value in values):
        raise PydanticCustomError("enum", "one of the offered reminder times")
    return tuple(sorted(set(values), reverse=True))


def _text(limit: int) -> object:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)


class EventFields(BaseModel):
    """The event form. Times are wall-clock times in `timezone`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Annotated[str, _text(MAX_TITLE_LENGTH)]
    start_date: date
    start_time: time
    end_date: date | None = None
    end_time: time
    timezone: Annotated[str, AfterValidator(_zone)]
    place: Annotated[str, _text(MAX_PLACE_LENGTH)] | None = None
    link: Annotated[str, _text(MAX_LINK_LENGTH), AfterValidator(_link)] | None = None
    description: Annotated[str, _text(MAX_EVENT_DESCRIPTION_LENGTH)] | None = None
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    rsvp_deadline: AwareDatetime | None = None
    reminders: Annotated[tuple[int, ...], AfterValidator(_reminders)] = DEFAULT_REMINDERS
    repeat: Repeat = Repeat.NONE
    repeat_until: date | None = None

    @property
    def starts_at(self) -> datetime:
        return local_to_utc(self.start_date, self.start_time, self.timezone)

    @property
    def ends_at(self) -> datetime:
        return local_to_utc(self.end_date or self.start_date, self.end_time, self.timezone)

    def timing_problems(self, now: datetime, past_allowed: bool = False) -> list[InvalidInput]:
        """The mistakes that need the clock or several fields; each names its field."""
        found = []
        if self.starts_at <= now and not past_allowed:
            found.append(InvalidInput("error.event.start_past", field="start_date"))
        if self.ends_at <= self.starts_at:
            field = "end_date" if self.end_date and self.end_date < self.start_date else "end_time"
            found.append(InvalidInput("error.event.end_before_start", field=field))
        if self.rsvp_deadline is not None and self.rsvp_deadline > self.starts_at:
            found.append(InvalidInput("error.event.deadline_after_start", field="rsvp_deadline"))
        if self.repeat_until is not None and self.repeat_until < self.start_date:
            found.append(InvalidInput("error.event.repeat_until", field="repeat_until"))
        return found


def validated_event(
    values: dict[str, Any], now: datetime, unchanged_start: datetime | None = None
) -> EventFields:
    """The event form's values, or `FormInvalid` with every problem on its field. A start in
    the past is kept only when an edit leaves it as it was (`unchanged_start`)."""
    try:
        fields = EventFields.model_validate(values)
    except ValidationError as error:
        raise FormInvalid(problems(error)) from None
    past_allowed = unchanged_start is not None and fields.starts_at == unchanged_start
    found = fields.timing_problems(now, past_allowed=past_allowed)
    if found:
        raise FormInvalid(found)
    return fields
