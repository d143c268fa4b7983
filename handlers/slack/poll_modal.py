"""The poll forms: asking a question, adding an option, and commenting on an event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DateTimePickerElement,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import PollKind
from bot.i18n import Translator
from bot.results.polls import PollSaved
from bot.services.poll_fields import MAX_OPTION_LENGTH, MAX_QUESTION_LENGTH
from bot.services.polls import EditablePoll
from handlers.slack.blocks import name_of
from handlers.slack.markup import channel_link, say
from handlers.slack.modals import (
    VALUE,
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

CALLBACK_ID = "poll.form"
OPTION_CALLBACK_ID = "poll.option"
COMMENT_CALLBACK_ID = "poll.comment"
PREFIX = "poll_form"
MULTIPLE = "multiple"
ANONYMOUS = "anonymous"
ADD_OPTIONS = "members_add_options"
LIVE, AT_CLOSE = "live", "at_close"


@dataclass(frozen=True)
class PollFormContext:
    """The network and the channel the command was typed in, in `private_metadata`."""

    network_id: int | None
    channel_id: str

    def encode(self) -> str:
        return json.dumps({"n": self.network_id, "c": self.channel_id})

    @classmethod
    def decode(cls, metadata: str | None) -> PollFormContext:
        raw = metadata_of(metadata)
        channel = raw.get("c")
        return cls(whole_number(raw.get("n")), channel if isinstance(channel, str) else "")


def poll_id_of(metadata: str | None) -> int | None:
    """The poll a small form (an option, a comment) belongs to."""
    return whole_number(metadata_of(metadata).get("p"))


def _flag(t: Translator, field: str) -> Any:
    choice = option(t(f"{PREFIX}.{field}_option"), field)
    return CheckboxesElement(action_id=VALUE, options=[choice])


def poll_modal(t: Translator, context: PollFormContext, form: EditablePoll) -> View:
    kinds = enum_options(t, PollKind)
    results = [option(t(f"{PREFIX}.results_{value}"), value) for value in (LIVE, AT_CLOSE)]
    intro = say(t, f"{PREFIX}.intro", network=name_of(form.network, t))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        text_field(t, "question", MAX_QUESTION_LENGTH, prefix=PREFIX, optional=False),
        input_block(
            t,
            "kind",
            StaticSelectElement(action_id=VALUE, options=kinds, initial_option=kinds[0]),
            optional=False,
            prefix=PREFIX,
        ),
        text_field(
            t,
            "options",
            10 * (MAX_OPTION_LENGTH + 1),
            multiline=True,
            hint=f"{PREFIX}.options_hint",
            prefix=PREFIX,
        ),
        input_block(t, MULTIPLE, _flag(t, MULTIPLE), prefix=PREFIX),
        input_block(
            t,
            "max_choices",
            NumberInputElement(action_id=VALUE, is_decimal_allowed=False),
            hint=f"{PREFIX}.max_choices_hint",
            prefix=PREFIX,
        ),
        input_block(
            t, ANONYMOUS, _flag(t, ANONYMOUS), hint=f"{PREFIX}.anonymous_hint", prefix=PREFIX
        ),
        input_block(
            t,
            "results",
            RadioButtonsElement(action_id=VALUE, options=results, initial_option=results[0]),
            optional=False,
            prefix=PREFIX,
        ),
        input_block(t, ADD_OPTIONS, _flag(t, ADD_OPTIONS), prefix=PREFIX),
        input_block(t, "closes_at", DateTimePickerElement(action_id=VALUE), prefix=PREFIX),
    ]
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=t(f"{PREFIX}.title")),
        submit=PlainTextObject(text=t(f"{PREFIX}.submit")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=context.encode(),
        blocks=blocks,
    )


def submitted_poll_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted poll form as plain values for `PollFields`."""
    raw_state = view.get("state", {}).get("values", {})
    state = raw_state if isinstance(raw_state, dict) else {}
    options = text_value(state, "options") or ""
    closes = state_value(state, "closes_at").get("selected_date_time")
    max_choices = text_value(state, "max_choices")
    multiple = MULTIPLE in selected_values(state, MULTIPLE)
    return {
        "question": text_value(state, "question"),
        "kind": selected_value(state, "kind") or PollKind.CHOICE.value,
        "options": tuple(line.strip() for line in options.splitlines() if line.strip()),
        "multiple": multiple,
        "max_choices": max_choices if multiple else None,
        "anonymous": ANONYMOUS in selected_values(state, ANONYMOUS),
        "results_live": selected_value(state, "results") != AT_CLOSE,
        "members_add_options": ADD_OPTIONS in selected_values(state, ADD_OPTIONS),
        "closes_at": datetime.fromtimestamp(closes, UTC)
        if isinstance(closes, int) and 0 < closes < 2**33
        else None,
    }


def poll_saved_modal(t: Translator, saved: PollSaved) -> View:
    text = say(
        t,
        f"{PREFIX}.posted",
        question=saved.poll.question,
        channel=channel_link(saved.channel_id),
        id=saved.poll.id,
    )
    return done_modal(t, CALLBACK_ID, text)


def _small_form(
    t: Translator, callback_id: str, poll_id: int, field: str, limit: int, multiline: bool
) -> View:
    element = PlainTextInputElement(action_id=VALUE, max_length=limit, multiline=multiline)
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=t(f"{PREFIX}.{field}_title")),
        submit=PlainTextObject(text=t(f"{PREFIX}.submit_small")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=json.dumps({"p": poll_id}),
        blocks=[input_block(t, field, element, optional=False, prefix=PREFIX)],
    )


def option_modal(t: Translator, poll_id: int) -> View:
    return _small_form(t, OPTION_CALLBACK_ID, poll_id, "option", MAX_OPTION_LENGTH, False)


def comment_modal(t: Translator, poll_id: int) -> View:
    return _small_form(t, COMMENT_CALLBACK_ID, poll_id, "comment", 2000, True)


def submitted_text(view: dict[str, Any], field: str) -> str:
    raw_state = view.get("state", {}).get("values", {})
    state = raw_state if isinstance(raw_state, dict) else {}
    return text_value(state, field) or ""
