"""Message catalogs in English, Finnish and Swedish, and locale-aware formatting with Babel.

A catalog is a TOML file per language. A message is a string with `{named}` placeholders; a
message that depends on a count is a table of CLDR plural categories (`one`, `other`, ...).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_skeleton,
    format_timedelta,
)
from babel.lists import format_list
from babel.numbers import format_decimal

from bot.domain import LANGUAGES

CATALOG_DIR = Path(__file__).parent
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# Turns a catalog message written in the catalogs' markup into a platform's.
Markup = Callable[[str], str]
Message = str | dict[str, str]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        is_plural = isinstance(value, dict) and set(value) <= PLURAL_CATEGORIES
        if isinstance(value, dict) and not is_plural:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def catalog(language: str) -> dict[str, Any]:
    """Every key of one language's catalog, flattened to dotted names."""
    with (CATALOG_DIR / f"{language}.toml").open("rb") as file:
        return _flatten(tomllib.load(file))


def neutral(template: str) -> str:
    """The catalogs' own markup (**strong**, `code`, _emphasis_), as it is."""
    return template


class Translator:
    """Messages and formats for one person: their language and their time zone. `markup`
    turns the catalogs' markup into the platform's before the parameters go in."""

    def __init__(
        self,
        language: str,
        timezone: str = "Europe/Helsinki",
        command: str = "/network",
        markup: Markup = neutral,
    ) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self.command = command
        self.markup = markup
        self.timezone = ZoneInfo(timezone)
        self.locale = Locale.parse(language)
        self._messages = catalog(language)

    def __call__(self, key: str, **params: Any) -> str:
        message = self._messages[key]
        if isinstance(message, dict):
            raise TypeError(f"{key} is a plural message; use .plural()")
        return self.markup(message).format(**{"command": self.command, **params})

    def plural(self, key: str, count: int, **params: Any) -> str:
        """The form of a counted message that fits `count` in this language."""
        forms = self._messages[key]
        form = forms.get(self.locale.plural_form(count), forms["other"])
        return self.markup(form).format(
            **{"command": self.command, "count": self.number(count), **params}
        )

    def has(self, key: str) -> bool:
        return key in self._messages

    def is_counted(self, key: str) -> bool:
        """Whether a message has a form per count (use `plural`)."""
        return isinstance(self._messages[key], dict)

    def label(self, member: StrEnum) -> str:
        """The display name of an enum member, from the `<enum>.<value>` catalog key."""
        return self(f"{_enum_key(type(member))}.{member.value}")

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: datetime | date) -> str:
        if isinstance(value, datetime):
            value = value.astimezone(self.timezone).date()
        return format_date(value, format="medium", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        return format_datetime(value, format="medium", tzinfo=self.timezone, locale=self.locale)

    def moment(self, value: datetime) -> str:
        """A day and a time in this reader's zone: "Thu, Dec 10, 2026 10:00"."""
        local = value.astimezone(self.timezone)
        day = format_skeleton("yMMMEd", local, tzinfo=self.timezone, locale=self.locale)
        return f"{day} {format_skeleton('Hm', local, tzinfo=self.timezone, locale=self.locale)}"

    def span(self, start: datetime, end: datetime) -> str:
        """From when to when, in this reader's zone: "Thu, Dec 10, 2026, 10:00 – 12:00"."""
        first, last = start.astimezone(self.timezone), end.astimezone(self.timezone)
        if first.date() != last.date():
            return f"{self.moment(first)} – {self.moment(last)}"
        day = format_skeleton("yMMMEd", first, tzinfo=self.timezone, locale=self.locale)
        hours = format_interval(first.time(), last.time(), "Hm", locale=self.locale)
        return f"{day}, {hours}"

    def until(self, delta: timedelta) -> str:
        """How far ahead something is, in words: "in 2 days", "2 päivän päästä"."""
        return format_timedelta(delta, locale=self.locale, add_direction=True, threshold=1.1)

    def list(self, items: Iterable[str]) -> str:
        return format_list(list(items), locale=self.locale)

    def language_name(self, code: str) -> str:
        return self.locale.languages[code]


def load_every_language() -> None:
    """Read every catalog and Babel's data for every language now, not on someone's first
    message: a busy machine would make that person wait."""
    moment = datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("UTC"))
    for language in LANGUAGES:
        t = Translator(language)
        t.span(moment, moment + timedelta(hours=1))
        t.until(timedelta(days=1))
        t.list([t.number(1.5), t.date(moment)])
        t.locale.plural_form(2)


def _enum_key(enum: type[StrEnum]) -> str:
    """Category -> "category", JoinPolicy -> "join_policy"."""
    name = enum.__name__
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def keywords(group: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Keyword aliases of a group (`command`, `role`, ...), per language and meaning.

    `keywords("command")["fi"]["join"]` is the Finnish words that mean "join".
    """
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    prefix = f"keyword.{group}."
    for language in LANGUAGES:
        found[language] = {
            key.removeprefix(prefix): tuple(words)
            for key, words in catalog(language).items()
            if key.startswith(prefix)
        }
    return found
