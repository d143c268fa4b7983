"""The poll forms in Teams: asking a question, adding an option, and commenting after an
event; and reading what was submitted. The closing moment is a date and a time in the person's
own time zone (a card has no date-and-time input)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from microsoft_teams.cards import CardElement

from bot.domain import PollKind
from bot.i18n import Translator
from bot.services.poll_fields import MAX_OPTION_LENGTH, MAX_QUESTION_LENGTH
from bot.services.polls import EditablePoll
from handlers.teams.cards import name_of, say, text
from handlers.teams.dialogs import (
    Errors,
    Values,
    choice_field,
    date_field,
    enum_choices,
    flag_field,
    flag_value,
    number_field,
    text_field,
    text_value,
    time_field,
)

FORM = "poll"
OPTION_FORM = "option"
COMMENT_FORM = "comment"
PREFIX = "poll_form"
LIVE, AT_CLOSE = "live", "at_close"
CLOSES_DATE, CLOSES_TIME = "closes_date", "closes_time"
FIELDS = (
    "question",
    "kind",
    "options",
    "multiple",
    "max_choices",
    "anonymous",
    "results",
    "members_add_options",
    CLOSES_DATE,
    CLOSES_TIME,
)
SHOWN_AS = {"closes_at": CLOSES_DATE}
COMMENT_LENGTH = 2000


def poll_form(
    t: Translator, form: EditablePoll, values: Values, errors: Errors
) -> list[CardElement]:
    """The form's fields, filled with `values`, each problem of `errors` under its field."""
    kinds = enum_choices(t, PollKind)
    results = [(t(f"{PREFIX}.results_{value}"), value) for value in (LIVE, AT_CLOSE)]
    shown = {"kind": PollKind.CHOICE.value, "results": LIVE, **values}
    body: list[CardElement] = [text(say(t, f"{PREFIX}.intro", network=name_of(form.network, t)))]
    body += text_field(
        t, PREFIX, "question", shown, errors, limit=MAX_QUESTION_LENGTH, required=True
    )
    body += choice_field(t, PREFIX, "kind", kinds, shown, errors, required=True)
    body += text_field(
        t,
        PREFIX,
        "options",
        shown,
        errors,
        limit=10 * (MAX_OPTION_LENGTH + 1),
        multiline=True,
        hint=f"{PREFIX}.options_hint",
    )
    body += flag_field(t, PREFIX, "multiple", flag_value(shown, "multiple"), errors)
    body += number_field(t, PREFIX, "max_choices", shown, errors, hint=f"{PREFIX}.max_choices_hint")
    body += flag_field(t, PREFIX, "anonymous", flag_value(shown, "anonymous"), errors)
    body.append(text(say(t, f"{PREFIX}.anonymous_hint"), subtle=True))
    body += choice_field(t, PREFIX, "results", results, shown, errors, expanded=True)
    adding = flag_value(shown, "members_add_options")
    body += flag_field(t, PREFIX, "members_add_options", adding, errors)
    body += date_field(t, "teams", CLOSES_DATE, shown, errors)
    body += time_field(t, "teams", CLOSES_TIME, shown, errors)
    return body


def submitted_poll(data: Values, timezone: str) -> dict[str, Any]:
    """The submitted poll form as plain values for `PollFields`."""
    options = text_value(data, "options") or ""
    multiple = flag_value(data, "multiple")
    return {
        "question": text_value(data, "question"),
        "kind": text_value(data, "kind") or PollKind.CHOICE.value,
        "options": tuple(line.strip() for line in options.splitlines() if line.strip()),
        "multiple": multiple,
        "max_choices": text_value(data, "max_choices") if multiple else None,
        "anonymous": flag_value(data, "anonymous"),
        "results_live": text_value(data, "results") != AT_CLOSE,
        "members_add_options": flag_value(data, "members_add_options"),
        "closes_at": _closing(data, timezone),
    }


def _closing(data: Values, timezone: str) -> datetime | str | None:
    """When the poll closes, in the person's zone; what cannot be read goes on as typed."""
    day, clock = text_value(data, CLOSES_DATE), text_value(data, CLOSES_TIME)
    if day is None and clock is None:
        return None
    try:
        moment = datetime.combine(
            date.fromisoformat(day or ""), time.fromisoformat(clock or "23:59")
        )
    except ValueError:
        return f"{day or ''}T{clock or ''}"
    return moment.replace(tzinfo=ZoneInfo(timezone))


def small_form(
    t: Translator, field: str, values: Values, errors: Errors, limit: int
) -> list[CardElement]:
    """The one field of the option and comment forms."""
    return text_field(
        t, PREFIX, field, values, errors, limit=limit, multiline=field == "comment", required=True
    )
