"""Teams dialogs (task modules) with Adaptive Card forms: the pieces every form is made of,
the button that opens one, what Teams sends back, and the field errors shown on the form.

Teams opens a dialog only when a person clicks (`task/fetch`), so a command that needs a form
answers with a card whose button opens it. The form's own button submits it (`task/submit`);
the core validates it as it validates Slack's modals, and a mistake comes back as the same form,
filled in as it was, with each problem under its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    NumberInput,
    SubmitAction,
    TextInput,
    TimeInput,
    ToggleInput,
)

from bot.errors import FormInvalid
from bot.i18n import Translator
from handlers.teams.cards import (
    CARD_VERSION,
    FORM,
    TASK_FETCH,
    Message,
    card,
    message,
    say,
    text,
    unmarked,
)
from handlers.teams.markup import without_controls

ON, OFF = "true", "false"

Values = Mapping[str, Any]
Errors = Mapping[str, str]


def open_button(t: Translator, form: str, label: str, **context: Any) -> Message:
    """A card with the button that opens the form `form` (Teams opens dialogs on a click)."""
    words = say(t, "teams.form_offer")
    button = SubmitAction(title=unmarked(t(label)), data={**TASK_FETCH, FORM: form, **context})
    return Message().add_card(card([text(words)], [button], summary=words))


def dialog(title: str, body: Sequence[CardElement], submit: str, **context: Any) -> dict[str, Any]:
    """The answer that shows (or shows again) a dialog with the form `body`."""
    form = AdaptiveCard(
        version=CARD_VERSION,
        body=list(body),
        actions=[SubmitAction(title=unmarked(submit), data=dict(context))],
    )
    content = form.model_dump(by_alias=True, exclude_none=True, mode="json")
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": unmarked(title)[:80],
                "width": "large",
                "height": "large",
                "card": {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": content,
                },
            },
        }
    }


def closed() -> dict[str, Any]:
    """The answer that closes a dialog (what was saved is told in the chat)."""
    return {"task": {"type": "message", "value": ""}}


def submitted(value: Any) -> dict[str, Any]:
    """What a submitted dialog carries: its fields and its button's context."""
    data = value.get("data") if isinstance(value, dict) else None
    return data if isinstance(data, dict) else {}


def errors_of(
    t: Translator,
    error: FormInvalid,
    fields: Iterable[str],
    shown_as: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Each problem under its field (`shown_as` maps the core's name of a field to the form's;
    a problem with no field of the form goes under the first)."""
    names = list(fields)
    found: dict[str, str] = {}
    for problem in error.problems:
        named = (shown_as or {}).get(problem.field or "", problem.field)
        field = named if named in names else names[0]
        words = say(t, problem.key, **problem.params)
        found[field] = f"{found[field]} {words}" if field in found else words
    return found


# Fields --------------------------------------------------------------------------------------


def _label(t: Translator, prefix: str, field: str) -> str:
    return unmarked(t(f"{prefix}.{field}"))


def _with_error(element: CardElement, field: str, errors: Errors) -> list[CardElement]:
    if field not in errors:
        return [element]
    problem = text(errors[field])
    problem.inlines[0].color = "Attention"  # type: ignore[index, union-attr]
    return [element, problem]


def text_field(
    t: Translator,
    prefix: str,
    field: str,
    values: Values,
    errors: Errors,
    *,
    limit: int,
    multiline: bool = False,
    required: bool = False,
    hint: str | None = None,
) -> list[CardElement]:
    value = values.get(field)
    element = TextInput(
        id=field,
        label=_label(t, prefix, field),
        value=str(value) if value not in (None, "") else None,
        maxLength=limit,
        isMultiline=multiline or None,
        isRequired=required or None,
        placeholder=unmarked(t(hint)) if hint else None,
    )
    return _with_error(element, field, errors)


def date_field(
    t: Translator, prefix: str, field: str, values: Values, errors: Errors, required: bool = False
) -> list[CardElement]:
    value = values.get(field)
    element = DateInput(
        id=field,
        label=_label(t, prefix, field),
        value=str(value) if value else None,
        isRequired=required or None,
    )
    return _with_error(element, field, errors)


def time_field(
    t: Translator, prefix: str, field: str, values: Values, errors: Errors, required: bool = False
) -> list[CardElement]:
    value = values.get(field)
    element = TimeInput(
        id=field,
        label=_label(t, prefix, field),
        value=str(value)[:5] if value else None,
        isRequired=required or None,
    )
    return _with_error(element, field, errors)


def number_field(
    t: Translator, prefix: str, field: str, values: Values, errors: Errors, hint: str | None = None
) -> list[CardElement]:
    value = values.get(field)
    element = NumberInput(
        id=field,
        label=_label(t, prefix, field),
        value=int(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit())
        else None,
        min=0,
        placeholder=unmarked(t(hint)) if hint else None,
    )
    return _with_error(element, field, errors)


def choice_field(
    t: Translator,
    prefix: str,
    field: str,
    options: Sequence[tuple[str, str]],
    values: Values,
    errors: Errors,
    *,
    many: bool = False,
    expanded: bool = False,
    required: bool = False,
) -> list[CardElement]:
    """A choice among `options` (label, value); `many` lets several be chosen."""
    value = values.get(field)
    chosen = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else value
    element = ChoiceSetInput(
        id=field,
        label=_label(t, prefix, field),
        choices=[Choice(title=unmarked(label)[:100], value=str(v)) for label, v in options],
        value=str(chosen) if chosen not in (None, "") else None,
        isMultiSelect=many or None,
        style="expanded" if expanded or many else "compact",
        isRequired=required or None,
    )
    return _with_error(element, field, errors)


def enum_choices(t: Translator, enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(t.label(member), member.value) for member in enum]


def flag_field(
    t: Translator, prefix: str, field: str, on: bool, errors: Errors
) -> list[CardElement]:
    element = ToggleInput(
        id=field,
        title=unmarked(t(f"{prefix}.{field}_option")),
        label=_label(t, prefix, field),
        value=ON if on else OFF,
        valueOn=ON,
        valueOff=OFF,
    )
    return _with_error(element, field, errors)


# Reading what was submitted ------------------------------------------------------------------


def text_value(data: Values, field: str) -> str | None:
    value = data.get(field)
    return without_controls(value) if isinstance(value, str) and value.strip() else None


def many_values(data: Values, field: str) -> list[str]:
    """A multi-select's choices (Teams sends them joined with commas)."""
    value = text_value(data, field)
    return [part for part in value.split(",") if part] if value else []


def flag_value(data: Values, field: str) -> bool:
    return data.get(field) == ON


def context_number(data: Values, name: str) -> int | None:
    """A whole number the bot put in a form's context; None for anything else."""
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def done_message(words: str) -> Message:
    """What is told in the chat once a form is saved."""
    return message(words, text(words))
