"""Replies in Teams that belong to no one feature: help, settings, and every error."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.commands import Verb
from bot.domain import DigestFrequency, DigestSchedule
from bot.errors import Ambiguous, FormInvalid, NotFound, VerkostoError
from bot.i18n import Translator
from bot.results.people import Actor
from bot.results.refs import NetworkRef, PersonRef
from handlers.teams.cards import (
    Message,
    facts,
    heading,
    message,
    name_of,
    names_of,
    plain,
    say,
    text,
)


def help_message(t: Translator) -> Message:
    usage = [(t(f"help.usage.{verb.value}"), say(t, f"help.summary.{verb.value}")) for verb in Verb]
    return message(
        t("help.title"),
        heading(t("help.title")),
        text(say(t, "help.intro")),
        facts(usage),
        text(say(t, "help.names"), subtle=True),
        text(say(t, "help.languages"), subtle=True),
        text(say(t, "teams.help_where"), subtle=True),
    )


def settings_message(
    t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency
) -> Message:
    state = t("settings.reminders_on" if reminders else "settings.reminders_off")
    return plain(
        t,
        "settings.show",
        language=t.language_name(actor.language),
        reminders=state,
        digest=t.label(digest),
    )


def reminders_set_message(t: Translator, enabled: bool) -> Message:
    return plain(t, "settings.reminders_set_on" if enabled else "settings.reminders_set_off")


def language_set_message(t: Translator) -> Message:
    return plain(t, "settings.language_set", language=t.language_name(t.language))


def schedule_set_message(t: Translator, network: NetworkRef, schedule: DigestSchedule) -> Message:
    return plain(t, "digest.schedule_set", network=name_of(network, t), schedule=t.label(schedule))


def frequency_set_message(t: Translator, frequency: DigestFrequency) -> Message:
    return plain(t, "digest.frequency_set", frequency=t.label(frequency))


def _error_param(t: Translator, key: str, value: Any) -> tuple[str, Any]:
    if key == "usage_key":
        return "usage", t(value)
    if key.endswith("_key"):
        return key.removesuffix("_key"), t(value)
    if isinstance(value, NetworkRef):
        return key, name_of(value, t)
    if isinstance(value, PersonRef):
        return key, value.display_name
    if isinstance(value, StrEnum):
        return key, t.label(value)
    if isinstance(value, tuple):
        return key, names_of(t, value)
    if isinstance(value, datetime):
        return key, t.datetime(value)
    return key, value


def _choices(t: Translator, networks: Sequence[NetworkRef]) -> list[tuple[str, str]]:
    return [(name_of(ref, t), ref.slug) for ref in networks]


def error_message(t: Translator, error: VerkostoError) -> Message:
    """The one place a domain error becomes words for a person in Teams."""
    if isinstance(error, FormInvalid):
        problems = [say(t, problem.key, **problem.params) for problem in error.problems]
        return plain(t, "error.form", problems="\n".join(problems))
    params = dict(
        _error_param(t, k, v)
        for k, v in error.params.items()
        if k not in ("candidates", "suggestions")
    )
    words = say(t, error.key, **params)
    body = [text(words)]
    if isinstance(error, Ambiguous):
        body.append(facts(_choices(t, error.params["candidates"])))
    if isinstance(error, NotFound) and error.params.get("suggestions"):
        body.append(text(say(t, "error.suggestions")))
        body.append(facts(_choices(t, error.params["suggestions"])))
    return message(words, *body)
