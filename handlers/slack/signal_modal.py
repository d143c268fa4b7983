"""The "Save as weak signal" form, opened from a message's shortcut menu: which network, and the
signal's text (the message's, to edit)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import PlainTextObject, StaticSelectElement
from slack_sdk.models.views import View

from bot.domain import MembershipStatus, row_id
from bot.i18n import Translator
from bot.results.memberships import MembershipView
from bot.results.signals import SignalSaved
from bot.services.signals import MAX_SIGNAL_LENGTH
from bot.text import shorten
from handlers.slack.blocks import name_of
from handlers.slack.modals import (
    VALUE,
    done_modal,
    input_block,
    metadata_of,
    option,
    selected_value,
    text_field,
    text_value,
)
from handlers.slack.signal_render import saved_reply

CALLBACK_ID = "signal.form"
SHORTCUT_ID = "signal.save"
PREFIX = "signal_form"
# Slack lists at most 100 options in a static select.
MAX_NETWORKS = 100


@dataclass(frozen=True)
class SignalFormContext:
    """The message the signal comes from, carried in `private_metadata`."""

    channel_id: str
    message_ts: str

    def encode(self) -> str:
        return json.dumps({"c": self.channel_id, "ts": self.message_ts})

    @classmethod
    def decode(cls, metadata: str | None) -> SignalFormContext | None:
        raw = metadata_of(metadata)
        channel, ts = raw.get("c"), raw.get("ts")
        if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
            return cls(channel[:32], ts[:32])
        return None


def signal_modal(
    t: Translator, context: SignalFormContext, mine: Sequence[MembershipView], text: str
) -> View:
    """The form; `mine` are the person's networks, of which the active ones are offered."""
    networks = [m.network for m in mine if m.status is MembershipStatus.ACTIVE][:MAX_NETWORKS]
    choices = [option(name_of(network, t), str(network.id)) for network in networks]
    select = StaticSelectElement(
        action_id=VALUE,
        placeholder=PlainTextObject(text=t("form.choose")),
        options=choices,
        initial_option=choices[0] if len(choices) == 1 else None,
    )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=t(f"{PREFIX}.title")),
        submit=PlainTextObject(text=t(f"{PREFIX}.submit")),
        close=PlainTextObject(text=t("form.cancel")),
        private_metadata=context.encode(),
        blocks=[
            input_block(t, "network", select, optional=False, prefix=PREFIX),
            text_field(
                t,
                "text",
                MAX_SIGNAL_LENGTH,
                shorten(text, MAX_SIGNAL_LENGTH),
                multiline=True,
                hint=f"{PREFIX}.text_hint",
                prefix=PREFIX,
                optional=False,
            ),
        ],
    )


def submitted_signal(view: dict[str, Any]) -> tuple[int | None, str]:
    """The chosen network's id (None if the value is not one) and the text."""
    raw_state = view.get("state", {}).get("values", {})
    state = raw_state if isinstance(raw_state, dict) else {}
    chosen = selected_value(state, "network") or ""
    return row_id(chosen), text_value(state, "text") or ""


def signal_saved_modal(t: Translator, saved: SignalSaved) -> View:
    """The form once saved: the same words as the answer to `/network signal`."""
    return done_modal(t, CALLBACK_ID, saved_reply(t, saved).text)
