"""Message shortcuts: "Save as weak signal" on any message opens the signal form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.domain import MembershipStatus
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.slack.blocks import Reply, plain
from handlers.slack.payloads import Sender
from handlers.slack.runtime import Runtime
from handlers.slack.signal_modal import SHORTCUT_ID, SignalFormContext, signal_modal


def open_signal_form(rt: Runtime, body: dict[str, Any]) -> None:
    """Open the form with the message's text, or tell the person why it cannot be saved."""
    sender = Sender.of_interaction(body)
    message = body.get("message") or {}
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    ts = message.get("ts") if isinstance(message.get("ts"), str) else ""

    def produce(actor: Actor, t: Translator) -> Reply | None:
        if not sender.channel_id or not ts:
            return plain(t, "error.stale_action")
        mine = rt.services.memberships.mine(actor)
        if not any(m.status is MembershipStatus.ACTIVE for m in mine):
            return plain(t, "signal.no_networks")
        context = SignalFormContext(sender.channel_id, ts)
        rt.platform.open_form(sender.trigger_id, signal_modal(t, context, mine, text).to_dict())
        return None

    rt.answer(sender, body["response_url"], produce)


def register(app: App, rt: Runtime) -> None:
    def save_as_signal(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        rt.after_ack(open_signal_form, body)

    app.shortcut(SHORTCUT_ID)(save_as_signal)
