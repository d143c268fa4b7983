"""The network form: a modal to create or edit a network, and reading what was submitted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.commands import MAX_NAME_LENGTH
from bot.domain import Category, JoinPolicy, Origin, Scope
from bot.errors import FormInvalid
from bot.i18n import Translator
from bot.services.network_fields import (
    MAX_DESCRIPTION_LENGTH,
    MAX_ORGANISATION_LENGTH,
    NetworkForm,
)
from bot.views import NetworkDetail
from handlers.slack.markup import code, say
from handlers.slack.render import Reply

CALLBACK_ID = "network.form"
VALUE = "value"
LISTED = "listed"
ARCHIVED = "archived"
TEXT_FIELDS = (
    ("name_fi", MAX_NAME_LENGTH, False),
    ("name_en", MAX_NAME_LENGTH, False),
    ("name_sv", MAX_NAME_LENGTH, False),
    ("description_fi", MAX_DESCRIPTION_LENGTH, True),
    ("description_en", MAX_DESCRIPTION_LENGTH, True),
    ("description_sv", MAX_DESCRIPTION_LENGTH, True),
    ("coordinating_organisation", MAX_ORGANISATION_LENGTH, False),
)


@dataclass(frozen=True)
class FormContext:
    """What the modal carries between opening and submission, in `private_metadata`."""

    network_id: int | None
    channel_id: str | None

    def encode(self) -> str:
        return json.dumps({"network_id": self.network_id, "channel_id": self.channel_id})

    @classmethod
    def decode(cls, metadata: str | None) -> FormContext:
        try:
            data = json.loads(metadata or "{}")
            network_id = data.get("network_id")
            channel_id = data.get("channel_id")
        except (ValueError, AttributeError):
            return cls(None, None)
        return cls(
            network_id
            if isinstance(network_id, int) and not isinstance(network_id, bool)
            else None,
            channel_id if isinstance(channel_id, str) else None,
        )


def _label(t: Translator, field: str) -> PlainTextObject:
    return PlainTextObject(text=t(f"form.{field}"))


def _option(label: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=label[:75]), value=value)


def _text_input(t: Translator, field: str, limit: int, multiline: bool, value: str | None) -> Block:
    return InputBlock(
        block_id=field,
        label=_label(t, field),
        optional=True,
        element=PlainTextInputElement(
            action_id=VALUE, initial_value=value or None, multiline=multiline, max_length=limit
        ),
    )


def network_modal(t: Translator, context: FormContext, form: NetworkForm | None) -> View:
    """The create form (no `form`) or the edit form filled with the network's values."""
    editing = form is not None
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=say(t, "form.intro")))]
    for field, limit, multiline in TEXT_FIELDS[:3]:
        blocks.append(_text_input(t, field, limit, multiline, getattr(form, field, None)))
    if editing:
        text = say(t, "form.slug_fixed", slug=code(form.slug or ""))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    else:
        blocks.append(
            InputBlock(
                block_id="slug",
                label=_label(t, "slug"),
                hint=PlainTextObject(text=t("form.slug_hint")),
                optional=True,
                element=PlainTextInputElement(action_id=VALUE, max_length=64),
            )
        )
    categories = [_option(t.label(c), c.value) for c in Category]
    chosen_category = form.category if form else None
    blocks.append(
        InputBlock(
            block_id="category",
            label=_label(t, "category"),
            element=StaticSelectElement(
                action_id=VALUE,
                placeholder=PlainTextObject(text=t("form.choose")),
                options=categories,
                initial_option=categories[list(Category).index(chosen_category)]
                if chosen_category
                else None,
            ),
        )
    )
    for field, limit, multiline in TEXT_FIELDS[3:]:
        blocks.append(_text_input(t, field, limit, multiline, getattr(form, field, None)))
    scopes = [_option(t.label(s), s.value) for s in Scope]
    chosen_scopes = [scopes[list(Scope).index(s)] for s in form.scope] if form else []
    blocks.append(
        InputBlock(
            block_id="scope",
            label=_label(t, "scope"),
            optional=True,
            element=CheckboxesElement(
                action_id=VALUE, options=scopes, initial_options=chosen_scopes or None
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id="tags",
            label=_label(t, "tags"),
            hint=PlainTextObject(text=t("form.tags_hint")),
            optional=True,
            element=PlainTextInputElement(
                action_id=VALUE,
                initial_value=", ".join(form.tags) if form and form.tags else None,
                max_length=500,
            ),
        )
    )
    policies = [_option(t.label(p), p.value) for p in JoinPolicy]
    policy = form.join_policy if form else JoinPolicy.OPEN
    blocks.append(
        InputBlock(
            block_id="join_policy",
            label=_label(t, "join_policy"),
            element=RadioButtonsElement(
                action_id=VALUE,
                options=policies,
                initial_option=policies[list(JoinPolicy).index(policy)],
            ),
        )
    )
    listed = _option(t("form.listed_option"), LISTED)
    blocks.append(
        InputBlock(
            block_id="listed",
            label=_label(t, "listed"),
            optional=True,
            element=CheckboxesElement(
                action_id=VALUE,
                options=[listed],
                initial_options=[listed] if form is None or form.listed else None,
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id="channel_id",
            label=_label(t, "channel_id"),
            hint=PlainTextObject(text=t("form.channel_hint")),
            optional=True,
            element=ConversationSelectElement(
                action_id=VALUE,
                placeholder=PlainTextObject(text=t("form.choose_channel")),
                initial_conversation=form.channel_id if form else None,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            ),
        )
    )
    origins = [_option(t.label(o), o.value) for o in Origin]
    origin = form.origin if form else Origin.UNKNOWN
    blocks.append(
        InputBlock(
            block_id="origin",
            label=_label(t, "origin"),
            element=StaticSelectElement(
                action_id=VALUE,
                placeholder=PlainTextObject(text=t("form.choose")),
                options=origins,
                initial_option=origins[list(Origin).index(origin)],
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id="source",
            label=_label(t, "source"),
            hint=PlainTextObject(text=t("form.source_hint")),
            optional=True,
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=form.source if form else None, max_length=500
            ),
        )
    )
    if editing:
        archived = _option(t("form.archived_option"), ARCHIVED)
        blocks.append(
            InputBlock(
                block_id="archived",
                label=_label(t, "archived"),
                optional=True,
                element=CheckboxesElement(
                    action_id=VALUE,
                    options=[archived],
                    initial_options=[archived] if form.archived else None,
                ),
            )
        )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=t("form.title_edit" if editing else "form.title_create")),
        submit=PlainTextObject(text=t("form.submit")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=context.encode(),
        blocks=blocks,
    )


def _state_value(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = state.get(block_id)
    if not isinstance(block, dict):
        return {}
    value = block.get(VALUE)
    return value if isinstance(value, dict) else {}


def _text(state: dict[str, Any], block_id: str) -> str | None:
    value = _state_value(state, block_id).get("value")
    return value if isinstance(value, str) and value.strip() else None


def _selected(state: dict[str, Any], block_id: str) -> str | None:
    option = _state_value(state, block_id).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def _all_selected(state: dict[str, Any], block_id: str) -> list[Any]:
    options = _state_value(state, block_id).get("selected_options")
    if not isinstance(options, list):
        return []
    return [option.get("value") for option in options if isinstance(option, dict)]


def submitted_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted form as plain values for `NetworkForm`; malformed parts become empty."""
    state_values = view.get("state", {}).get("values", {})
    state = state_values if isinstance(state_values, dict) else {}
    values: dict[str, Any] = {field: _text(state, field) for field, _, _ in TEXT_FIELDS}
    tags = _text(state, "tags")
    conversation = _state_value(state, "channel_id").get("selected_conversation")
    values.update(
        slug=_text(state, "slug"),
        category=_selected(state, "category"),
        origin=_selected(state, "origin") or Origin.UNKNOWN.value,
        join_policy=_selected(state, "join_policy") or JoinPolicy.OPEN.value,
        scope=_all_selected(state, "scope"),
        tags=[tag.strip() for tag in tags.split(",") if tag.strip()] if tags else [],
        listed=LISTED in _all_selected(state, "listed"),
        archived=ARCHIVED in _all_selected(state, "archived"),
        channel_id=conversation if isinstance(conversation, str) and conversation else None,
        source=_text(state, "source"),
    )
    return values


def field_errors(t: Translator, error: FormInvalid, view: dict[str, Any]) -> dict[str, str]:
    """Slack's `response_action: errors`: each problem beside its field, in plain text."""
    block_ids = [block.get("block_id") for block in view.get("blocks", []) if "element" in block]
    errors: dict[str, str] = {}
    for problem in error.problems:
        block_id = problem.field if problem.field in block_ids else block_ids[0]
        message = t(problem.key, **problem.params)
        errors[block_id] = f"{errors[block_id]} {message}" if block_id in errors else message
    return errors


def saved_modal(t: Translator, detail: NetworkDetail, created: bool) -> View:
    """What the modal turns into after a successful save."""
    summary = detail.summary
    name = summary.ref.names.in_(t.language) or summary.ref.slug
    key = "form.created" if created else "form.saved"
    text = say(t, key, network=name, slug=summary.ref.slug)
    return View(
        type="modal",
        callback_id=f"{CALLBACK_ID}.done",
        title=PlainTextObject(text=t("form.title_done")),
        close=PlainTextObject(text=t("form.close")),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )


def problem_modal(t: Translator, reply: Reply) -> View:
    """What the modal turns into when the save was refused for a reason beyond the fields."""
    return View(
        type="modal",
        callback_id=f"{CALLBACK_ID}.problem",
        title=PlainTextObject(text=t("form.title_problem")),
        close=PlainTextObject(text=t("form.close")),
        blocks=reply.blocks,
    )
