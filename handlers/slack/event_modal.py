"""The event form: a modal to announce or edit an event, and reading what was submitted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DateTimePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UrlInputElement,
)
from slack_sdk.models.views import View

from bot.domain import Repeat
from bot.i18n import Translator
from bot.results.events import EventSaved
from bot.services.event_fields import (
    DEFAULT_REMINDERS,
    MAX_EVENT_DESCRIPTION_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_TITLE_LENGTH,
    REMINDER_CHOICES,
    EventFields,
    zone_choices,
)
from bot.services.events import EditableEvent
from handlers.slack.blocks import name_of
from handlers.slack.markup import channel_link, say, say_count
from handlers.slack.modals import (
    VALUE,
    chosen,
    done_modal,
    enum_options,
    input_block,
    metadata_of,
    option,
    selected_value,
    selected_values,
    state_value,
    text_field,
    text_value,
    whole_number,
)

CALLBACK_ID = "event.form"
PREFIX = "event_form"


@dataclass(frozen=True)
class EventFormContext:
    """What the modal carries in `private_metadata`: the network, the channel the command was
    typed in, and the event being edited (None for a new one)."""

    network_id: int | None
    channel_id: str
    event_id: int | None = None

    def encode(self) -> str:
        return json.dumps({"n": self.network_id, "c": self.channel_id, "e": self.event_id})

    @classmethod
    def decode(cls, metadata: str | None) -> EventFormContext:
        """The context; ids that are not ours become None and are refused by the services."""
        raw = metadata_of(metadata)
        channel = raw.get("c")
        return cls(
            whole_number(raw.get("n")),
            channel if isinstance(channel, str) else "",
            whole_number(raw.get("e")),
        )


def _reminder_label(t: Translator, minutes: int) -> str:
    return t(f"{PREFIX}.reminder_{minutes}")


def event_modal(t: Translator, context: EventFormContext, form: EditableEvent) -> View:
    """The form to announce an event in `form.network`, or to edit `form.event_id`."""
    current = form.fields
    editing = current is not None
    zone_options = [option(name, name) for name in zone_choices(form.timezone, t.timezone.key)]
    reminder_options = [option(_reminder_label(t, m), str(m)) for m in REMINDER_CHOICES]
    reminders = current.reminders if current else DEFAULT_REMINDERS
    deadline = current.rsvp_deadline if current else None
    intro = say(t, f"{PREFIX}.intro", network=name_of(form.network, t))

    def field(name: str, element: Any, optional: bool = True, hint: bool = False) -> InputBlock:
        hint_key = f"{PREFIX}.{name}_hint" if hint else None
        return input_block(t, name, element, optional=optional, hint=hint_key, prefix=PREFIX)

    def text(name: str, limit: int, multiline: bool = False, optional: bool = True) -> InputBlock:
        value = getattr(current, name) if current else None
        return text_field(
            t, name, limit, value, multiline=multiline, prefix=PREFIX, optional=optional
        )

    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        text("title", MAX_TITLE_LENGTH, optional=False),
        field(
            "start_date",
            DatePickerElement(action_id=VALUE, initial_date=_day(current, "start_date")),
            optional=False,
        ),
        field(
            "start_time",
            TimePickerElement(action_id=VALUE, initial_time=_time(current, "start_time")),
            optional=False,
        ),
        field(
            "end_date",
            DatePickerElement(action_id=VALUE, initial_date=_day(current, "end_date")),
            hint=True,
        ),
        field(
            "end_time",
            TimePickerElement(action_id=VALUE, initial_time=_time(current, "end_time")),
            optional=False,
        ),
        field(
            "timezone",
            StaticSelectElement(
                action_id=VALUE,
                options=zone_options,
                initial_option=(chosen(zone_options, [form.timezone]) or [None])[0],
            ),
            optional=False,
        ),
        text("place", MAX_PLACE_LENGTH),
        field(
            "link",
            UrlInputElement(action_id=VALUE, initial_value=current.link if current else None),
            hint=True,
        ),
        text("description", MAX_EVENT_DESCRIPTION_LENGTH, multiline=True),
        field(
            "capacity",
            NumberInputElement(
                action_id=VALUE,
                is_decimal_allowed=False,
                initial_value=str(current.capacity) if current and current.capacity else None,
            ),
            hint=True,
        ),
        field(
            "rsvp_deadline",
            DateTimePickerElement(
                action_id=VALUE,
                initial_date_time=int(deadline.timestamp()) if deadline else None,
            ),
        ),
        field(
            "reminders",
            CheckboxesElement(
                action_id=VALUE,
                options=reminder_options,
                initial_options=chosen(reminder_options, [str(m) for m in reminders]),
            ),
            hint=True,
        ),
    ]
    if editing:
        note = say(t, f"{PREFIX}.one_occurrence")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    else:
        repeats = enum_options(t, Repeat)
        repeat = StaticSelectElement(action_id=VALUE, options=repeats, initial_option=repeats[0])
        blocks.append(field("repeat", repeat, optional=False))
        blocks.append(field("repeat_until", DatePickerElement(action_id=VALUE), hint=True))
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=t(f"{PREFIX}.title_edit" if editing else f"{PREFIX}.title_new")),
        submit=PlainTextObject(text=t(f"{PREFIX}.submit_edit" if editing else f"{PREFIX}.submit")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=context.encode(),
        blocks=blocks,
    )


def _day(fields: EventFields | None, name: str) -> str | None:
    value = getattr(fields, name) if fields else None
    return value.isoformat() if isinstance(value, date) else None


def _time(fields: EventFields | None, name: str) -> str | None:
    value = getattr(fields, name) if fields else None
    return value.strftime("%H:%M") if isinstance(value, time) else None


def submitted_event_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted form as plain values for `EventFields`; what is missing stays None, so that
    the validation names the field."""
    raw_state = view.get("state", {}).get("values", {})
    state = raw_state if isinstance(raw_state, dict) else {}
    deadline = state_value(state, "rsvp_deadline").get("selected_date_time")
    values: dict[str, Any] = {
        "title": text_value(state, "title"),
        "start_date": state_value(state, "start_date").get("selected_date"),
        "start_time": state_value(state, "start_time").get("selected_time"),
        "end_date": state_value(state, "end_date").get("selected_date"),
        "end_time": state_value(state, "end_time").get("selected_time"),
        "timezone": selected_value(state, "timezone"),
        "place": text_value(state, "place"),
        "link": text_value(state, "link"),
        "description": text_value(state, "description"),
        "capacity": text_value(state, "capacity"),
        "rsvp_deadline": datetime.fromtimestamp(deadline, UTC)
        if isinstance(deadline, int) and 0 < deadline < 2**33
        else None,
        "reminders": [
            int(value)
            for value in selected_values(state, "reminders")
            if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 7
        ],
        "repeat": selected_value(state, "repeat") or Repeat.NONE.value,
        "repeat_until": state_value(state, "repeat_until").get("selected_date"),
    }
    return values


def event_saved_modal(t: Translator, saved: EventSaved) -> View:
    """What the form turns into after saving: where the announcement goes, and how many."""
    card = saved.event
    if saved.created:
        text = say(t, f"{PREFIX}.created", title=card.title, channel=channel_link(saved.channel_id))
        if saved.occurrences > 1:
            text += "\n" + say_count(t, f"{PREFIX}.occurrences", saved.occurrences)
    elif saved.changed:
        text = say(t, f"{PREFIX}.saved", title=card.title)
    else:
        text = say(t, f"{PREFIX}.unchanged", title=card.title)
    return done_modal(t, CALLBACK_ID, text)
