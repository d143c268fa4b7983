"""The `/network` slash command: ack at once, then parse, run the command and answer privately."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.commands import parse
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.slack.answers import runner_for
from handlers.slack.blocks import Reply
from handlers.slack.payloads import Sender, tokenize
from handlers.slack.runtime import Runtime


def answer_command(rt: Runtime, body: dict[str, Any]) -> None:
    """Run a `/network` command and answer the person privately."""
    sender = Sender.of_command(body)

    def produce(actor: Actor, t: Translator) -> Reply | None:
        command = parse(tokenize(body.get("text", "")))
        return runner_for(rt, sender, actor, t).run(command)

    rt.answer(sender, body["response_url"], produce)


def register(app: App, rt: Runtime) -> None:
    def network_command(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        rt.after_ack(answer_command, body)

    app.command(rt.settings.verkosto_command)(network_command)
