"""The message catalogs: complete in every language, consistent, and covering the code."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.commands import Verb
from bot.domain import (
    LANGUAGES,
    AuditAction,
    Category,
    JoinPolicy,
    MembershipStatus,
    Origin,
    Role,
    Scope,
)
from bot.i18n import PLURAL_CATEGORIES, Translator, catalog, keywords
from bot.text import fold
from handlers.slack.blocks import ActionId
from handlers.slack.modals import CALLBACK_ID

ROOT = Path(__file__).parent.parent


def placeholders(message: object) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_has_every_key_of_the_others(language: str) -> None:
    mine = set(catalog(language))
    for other in LANGUAGES:
        missing = set(catalog(other)) - mine
        assert not missing, f"{language} lacks {sorted(missing)}, which {other} has"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translations_use_the_same_placeholders_as_english(language: str) -> None:
    english, translated = catalog("en"), catalog(language)
    for key, message in english.items():
        if key.startswith("keyword."):
            continue
        assert placeholders(translated[key]) == placeholders(message), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_counted_messages_have_every_plural_form_the_language_needs(language: str) -> None:
    locale = Translator(language).locale
    needed = {locale.plural_form(n) for n in range(0, 200)}
    for key, message in catalog(language).items():
        if isinstance(message, dict) and not key.startswith("keyword."):
            assert set(message) <= PLURAL_CATEGORIES
            assert needed <= set(message), f"{language} {key} lacks {needed - set(message)}"


def test_no_keyword_means_two_things() -> None:
    for group in ("command", "role", "filter", "setting"):
        meanings: dict[str, str] = {}
        for per_language in keywords(group).values():
            for meaning, words in per_language.items():
                for word in words:
                    assert meanings.setdefault(fold(word), meaning) == meaning, (group, word)


def test_every_sub_command_has_keywords_usage_and_summary_in_every_language() -> None:
    for language in LANGUAGES:
        t = Translator(language)
        assert set(keywords("command")[language]) == {verb.value for verb in Verb}
        for verb in Verb:
            assert t(f"help.usage.{verb.value}").startswith("/network ")
            assert t(f"help.summary.{verb.value}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_enum_value_has_a_label(language: str) -> None:
    t = Translator(language)
    for enum in (Category, Scope, Origin, JoinPolicy, Role, MembershipStatus):
        for member in enum:
            assert t.label(member)
    assert AuditAction  # audit actions are data for reports, not shown as words


def test_every_key_the_code_names_exists() -> None:
    sources = [
        path
        for folder in ("bot", "handlers")
        for pattern in ("*.py", "*.html")
        for path in (ROOT / folder).rglob(pattern)
    ]
    literal = re.compile(
        r"""["']((?:error|help|list|network|info|join|request|leave|channel|mine|members|role_change|settings|form|button|filter|cli|demo|web)\.[a-z_.0-9]+)["']"""
    )
    english = catalog("en")
    named = {key for path in sources for key in literal.findall(path.read_text())}
    identifiers = {action.value for action in ActionId} | {CALLBACK_ID, "demo.db"}
    templates = {key for key in named if key.endswith(".html")}
    named = {
        key
        for key in named
        if not key.endswith(".") and key not in identifiers and key not in templates
    }
    assert named, "the pattern found the keys the code uses"
    assert sorted(key for key in named if key not in english) == []


def test_dates_and_numbers_follow_the_language() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # already the 30th in Helsinki (UTC+3)
    assert Translator("en").date(moment) == "Mar 30, 2026"
    assert Translator("fi").date(moment) == "30.3.2026"
    assert Translator("sv").date(moment) == "30 mars 2026"
    assert Translator("fi").number(12345) == "12\xa0345"
    assert Translator("fi").plural("network.members", 1) == "1 jäsen"
    assert Translator("fi").plural("network.members", 5) == "5 jäsentä"
    assert Translator("sv").list(["a", "b", "c"]) == "a, b och c"
