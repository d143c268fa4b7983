"""The network form: a modal to create or edit a network, and reading what was submitted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
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
from bot.domain import MAX_ROW_ID, Category, JoinPolicy, Origin, Scope
from bot.errors import FormInvalid
from bot.i18n import Translator
from bot.results.networks import NetworkDetail
from bot.services.network_fields import (
    MAX_DESCRIPTION_LENGTH,
    MAX_ORGANISATION_LENGTH,
    NetworkForm,
)
from handlers.slack.blocks import Reply
from handlers.slack.markup import Mrkdwn, code, say

CALLBACK_ID = "network.form"
VALUE = "value"
LISTED = "listed"
PUBLISHED = "published"
MEMBERS_MAY_ANNOUNCE = "members_may_announce"
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

    def encode(self) -> str:
        return json.dumps({"network_id": self.network_id})

    @classmethod
    def decode(cls, metadata: str | None) -> FormContext:
        """The network being edited; None for a new one, or for metadata that is not ours."""
        return cls(whole_number(metadata_of(metadata).get("network_id")))


def metadata_of(metadata: str | None) -> dict[str, Any]:
    """A modal's `private_metadata` as the JSON object the bot wrote; {} for anything else."""
    try:
        raw = json.loads(metadata or "{}")
    except ValueError:
        return {}
    return raw if isinstance(raw, dict) else {}


def whole_number(value: Any) -> int | None:
    """An id read from metadata: a whole number that can be a row's, or None (JSON's true is
    not one)."""
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return value if is_number and 0 < value <= MAX_ROW_ID else None


def option(label: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=label[:75]), value=value)


def input_block(
    t: Translator,
    field: str,
    element: Any,
    optional: bool = True,
    hint: str | None = None,
    prefix: str = "form",
) -> InputBlock:
    """One field of a form; its block id is the field's name, its label the catalog's
    `<prefix>.<field>`."""
    return InputBlock(
        block_id=field,
        label=PlainTextObject(text=t(f"{prefix}.{field}")),
        element=element,
        optional=optional,
        hint=PlainTextObject(text=t(hint)) if hint else None,
    )


def text_field(
    t: Translator,
    field: str,
    limit: int,
    value: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
    prefix: str = "form",
    optional: bool = True,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id=VALUE, initial_value=value or None, multiline=multiline, max_length=limit
    )
    return input_block(t, field, element, optional=optional, hint=hint, prefix=prefix)


def enum_options(t: Translator, enum: type[StrEnum]) -> list[Option]:
    return [option(t.label(member), member.value) for member in enum]


def chosen(options: list[Option], values: Iterable[str]) -> list[Option] | None:
    wanted = set(values)
    return [choice for choice in options if choice.value in wanted] or None


def select_field(
    t: Translator, field: str, enum: type[StrEnum], current: StrEnum | None, prefix: str = "form"
) -> InputBlock:
    """A required choice of one enum value, labelled in the reader's language."""
    options = enum_options(t, enum)
    element = StaticSelectElement(
        action_id=VALUE,
        placeholder=PlainTextObject(text=t("form.choose")),
        options=options,
        initial_option=(chosen(options, [current]) or [None])[0] if current else None,
    )
    return input_block(t, field, element, optional=False, prefix=prefix)


def flag_field(t: Translator, field: str, value: str, on: bool, prefix: str = "form") -> InputBlock:
    """A yes/no field: one checkbox whose option says what ticking it means."""
    checkbox = option(t(f"{prefix}.{field}_option"), value)
    element = CheckboxesElement(
        action_id=VALUE, options=[checkbox], initial_options=[checkbox] if on else None
    )
    return input_block(t, field, element, prefix=prefix)


def network_modal(t: Translator, context: FormContext, form: NetworkForm | None) -> View:
    """The create form (no `form`) or the edit form filled with the network's values."""
    # A new network starts from the form's own defaults, with no category chosen yet.
    values = form or NetworkForm.model_construct(category=None)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=say(t, "form.intro")))]
    for field, limit, multiline in TEXT_FIELDS[:3]:
        blocks.append(text_field(t, field, limit, getattr(form, field, None), multiline))
    if form is not None:
        fixed = say(t, "form.slug_fixed", slug=code(form.slug or ""))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=fixed)]))
    else:
        blocks.append(text_field(t, "slug", 64, hint="form.slug_hint"))
    blocks.append(select_field(t, "category", Category, values.category))
    for field, limit, multiline in TEXT_FIELDS[3:]:
        blocks.append(text_field(t, field, limit, getattr(form, field, None), multiline))
    scopes = enum_options(t, Scope)
    blocks.append(
        input_block(
            t,
            "scope",
            CheckboxesElement(
                action_id=VALUE, options=scopes, initial_options=chosen(scopes, values.scope)
            ),
        )
    )
    blocks.append(text_field(t, "tags", 500, ", ".join(values.tags), hint="form.tags_hint"))
    policies = enum_options(t, JoinPolicy)
    radio = RadioButtonsElement(
        action_id=VALUE,
        options=policies,
        initial_option=(chosen(policies, [values.join_policy]) or [None])[0],
    )
    blocks.append(input_block(t, "join_policy", radio, optional=False))
    blocks.append(flag_field(t, "listed", LISTED, values.listed))
    blocks.append(flag_field(t, "published", PUBLISHED, values.published))
    blocks.append(
        flag_field(t, MEMBERS_MAY_ANNOUNCE, MEMBERS_MAY_ANNOUNCE, values.members_may_announce)
    )
    channel = ConversationSelectElement(
        action_id=VALUE,
        placeholder=PlainTextObject(text=t("form.choose_channel")),
        initial_conversation=values.channel_id,
        filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
    )
    blocks.append(input_block(t, "channel_id", channel, hint="form.channel_hint"))
    blocks.append(select_field(t, "origin", Origin, values.origin))
    blocks.append(text_field(t, "source", 500, values.source, hint="form.source_hint"))
    if form is not None:
        blocks.append(flag_field(t, "archived", ARCHIVED, form.archived))
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=t("form.title_edit" if form else "form.title_create")),
        submit=PlainTextObject(text=t("form.submit")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=context.encode(),
        blocks=blocks,
    )


def state_value(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = state.get(block_id)
    if not isinstance(block, dict):
        return {}
    value = block.get(VALUE)
    return value if isinstance(value, dict) else {}


def text_value(state: dict[str, Any], block_id: str) -> str | None:
    value = state_value(state, block_id).get("value")
    return value if isinstance(value, str) and value.strip() else None


def selected_value(state: dict[str, Any], block_id: str) -> str | None:
    option = state_value(state, block_id).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def selected_values(state: dict[str, Any], block_id: str) -> list[Any]:
    options = state_value(state, block_id).get("selected_options")
    if not isinstance(options, list):
        return []
    return [option.get("value") for option in options if isinstance(option, dict)]


def submitted_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted form as plain values for `NetworkForm`; malformed parts become empty."""
    state_values = view.get("state", {}).get("values", {})
    state = state_values if isinstance(state_values, dict) else {}
    values: dict[str, Any] = {field: text_value(state, field) for field, _, _ in TEXT_FIELDS}
    tags = text_value(state, "tags")
    conversation = state_value(state, "channel_id").get("selected_conversation")
    values.update(
        slug=text_value(state, "slug"),
        category=selected_value(state, "category"),
        origin=selected_value(state, "origin") or Origin.UNKNOWN.value,
        join_policy=selected_value(state, "join_policy") or JoinPolicy.OPEN.value,
        scope=selected_values(state, "scope"),
        tags=[tag.strip() for tag in tags.split(",") if tag.strip()] if tags else [],
        listed=LISTED in selected_values(state, "listed"),
        published=PUBLISHED in selected_values(state, "published"),
        members_may_announce=MEMBERS_MAY_ANNOUNCE in selected_values(state, MEMBERS_MAY_ANNOUNCE),
        archived=ARCHIVED in selected_values(state, "archived"),
        channel_id=conversation if isinstance(conversation, str) and conversation else None,
        source=text_value(state, "source"),
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
    return done_modal(t, CALLBACK_ID, say(t, key, network=name, slug=summary.ref.slug))


def done_modal(t: Translator, form_callback_id: str, text: Mrkdwn) -> View:
    """What a form turns into once it is saved: one message and a Close button."""
    return View(
        type="modal",
        callback_id=f"{form_callback_id}.done",
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
