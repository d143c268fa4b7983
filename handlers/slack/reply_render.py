"""Replies that belong to no one feature: help, settings, and every error."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.commands import Verb
from bot.domain import DigestFrequency
from bot.errors import Ambiguous, FormInvalid, NotFound, VerkostoError
from bot.i18n import Translator
from bot.results.people import Actor
from bot.results.refs import NetworkRef, PersonRef
from handlers.slack.blocks import Reply, context, header, name_of, names_of, plain, section
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    code,
    say,
)


def help_reply(t: Translator) -> Reply:
    lines = [
        f"{code(t(f'help.usage.{verb.value}'))}  {say(t, f'help.summary.{verb.value}')}"
        for verb in Verb
    ]
    return Reply(
        text=say(t, "help.title"),
        blocks=[
            header(t("help.title")),
            section(say(t, "help.intro")),
            section("\n".join(lines)),
            context(say(t, "help.names"), say(t, "help.languages")),
        ],
    )


# The directory ---------------------------------------------------------------------------------


def settings_reply(t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency) -> Reply:
    state = t("settings.reminders_on" if reminders else "settings.reminders_off")
    return plain(
        t,
        "settings.show",
        language=t.language_name(actor.language),
        reminders=state,
        digest=t.label(digest),
    )


def reminders_set_reply(t: Translator, enabled: bool) -> Reply:
    return plain(t, "settings.reminders_set_on" if enabled else "settings.reminders_set_off")


def language_set_reply(t: Translator) -> Reply:
    return plain(t, "settings.language_set", language=t.language_name(t.language))


# Errors ----------------------------------------------------------------------------------------


def _error_param(t: Translator, key: str, value: Any) -> tuple[str, Any]:
    if key == "usage_key":
        return "usage", code(t(value))
    if key.endswith("_key"):
        return key.removesuffix("_key"), t(value)
    if isinstance(value, NetworkRef):
        return key, name_of(value, t)
    if isinstance(value, PersonRef):
        return key, value.display_name
    if isinstance(value, StrEnum):
        return key, t.label(value)
    if isinstance(value, tuple):
        return key, Mrkdwn(names_of(t, value)) if value else ""
    if isinstance(value, datetime):
        return key, t.datetime(value)
    return key, value


def _choices(t: Translator, networks: Sequence[NetworkRef]) -> str:
    return "\n".join(f"• {bold(name_of(ref, t))} {code(ref.slug)}" for ref in networks)


def error_reply(t: Translator, error: VerkostoError) -> Reply:
    """The one place a domain error becomes words for the person."""
    if isinstance(error, FormInvalid):
        lines = [say(t, problem.key, **problem.params) for problem in error.problems]
        return plain(t, "error.form", problems=Mrkdwn("\n".join(lines)))
    params = dict(
        _error_param(t, k, v)
        for k, v in error.params.items()
        if k not in ("candidates", "suggestions")
    )
    text = say(t, error.key, **params)
    if isinstance(error, Ambiguous):
        text = Mrkdwn(f"{text}\n{_choices(t, error.params['candidates'])}")
    if isinstance(error, NotFound) and error.params.get("suggestions"):
        suggestions = _choices(t, error.params["suggestions"])
        text = Mrkdwn(f"{text} {say(t, 'error.suggestions')}\n{suggestions}")
    return Reply(text=text, blocks=[section(text)])
