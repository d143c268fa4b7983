"""The /network grammar and directory search, without Slack."""

from __future__ import annotations

import json

import pytest

from bot.commands import Command, PersonMention, Verb, Word, language_code, parse
from bot.domain import Category, Role, Scope
from bot.errors import InvalidInput
from bot.search import Searchable, rank, resolve
from handlers.slack.payloads import tokenize
from tests.conftest import ROOT_DATA


def words(text: str) -> list:
    return tokenize(text)


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("join x", Verb.JOIN),
        ("liity x", Verb.JOIN),
        ("anslut x", Verb.JOIN),
        ("JOIN x", Verb.JOIN),
        ("jäsenet x", Verb.MEMBERS),
        ("jasenet x", Verb.MEMBERS),
        ("medlemmar x", Verb.MEMBERS),
        ("lämna x", Verb.LEAVE),
        ("eroa x", Verb.LEAVE),
        ("sök", Verb.LIST),
        ("hae", Verb.LIST),
        ("omat", Verb.MINE),
        ("mina", Verb.MINE),
        ("", Verb.HELP),
        ("hjälp", Verb.HELP),
        ("luo", Verb.CREATE),
        ("skapa", Verb.CREATE),
    ],
)
def test_keywords_in_every_language(text: str, verb: Verb) -> None:
    assert parse(words(text)).verb is verb


def test_a_name_may_be_several_words_or_quoted() -> None:
    assert (
        parse(words("info Kansallinen ennakointiverkosto")).name == "Kansallinen ennakointiverkosto"
    )
    assert (
        parse(words("info “Kansallinen ennakointiverkosto”")).name
        == "Kansallinen ennakointiverkosto"
    )


def test_role_reads_name_person_and_role() -> None:
    command = parse(words("role Kansallinen ennakointiverkosto <@U0MIKKO|mikko> support group"))
    assert command == Command(
        Verb.ROLE, name="Kansallinen ennakointiverkosto", user_id="U0MIKKO", role=Role.SUPPORT_GROUP
    )


def test_list_reads_words_and_filters_in_any_language() -> None:
    command = parse(words("lista tekoäly luokka:kehittäminen mukana:kunnat deltagare:forskare"))
    assert command.query == "tekoäly"
    assert command.category is Category.DEVELOPMENT
    assert command.scopes == (Scope.MUNICIPALITIES, Scope.RESEARCHERS)


@pytest.mark.parametrize("value", ["fi", "FI", "suomi", "Finnish", "finska", "Suomi"])
def test_language_names_in_any_language(value: str) -> None:
    assert language_code(value) == "fi"


def test_slack_markup_becomes_tokens() -> None:
    assert tokenize("role x <@U1|a> <#C1|general> <!channel> &lt;b&gt;") == [
        Word("role"),
        Word("x"),
        PersonMention("U1"),
        pytest.importorskip("bot.commands").ChannelMention("C1"),
        Word("<!channel>"),
        Word("<b>"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a “b c” d", ["a", "b c", "d"]),
        ("„b c“ ”d e” «f» »g h»", ["b c", "d e", "f", "g h"]),
        ("'b c' Children's vaa'an", ["b c", "Children's", "vaa'an"]),
        ("'b c", ["'b", "c"]),
        ('"A""B" "" x', ["A", "B", "", "x"]),
        ('“Is the "digital twin" useful?” yes', ['Is the "digital twin" useful?', "yes"]),
        ('"Read <https://x.fi|our site> first" ok', ["Read <https://x.fi|our site> first", "ok"]),
    ],
)
def test_quoted_phrases_are_one_word_in_any_quotes(text: str, expected: list[str]) -> None:
    assert [token.text for token in tokenize(text)] == expected


@pytest.mark.parametrize(
    "text",
    ['join "Kansallinen', "join “a b", "join «a b", 'poll "Net work "Question?" "A"', "x ”a “b” c"],
)
def test_a_quote_left_open_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        tokenize(text)
    assert refused.value.key == "error.unclosed_quote"


def test_a_quoted_name_may_come_first_in_a_one_line_poll() -> None:
    poll = parse(words("poll «Kansallinen ennakointiverkosto» «Which day?» «Mon» «Tue»")).poll
    assert parse(words('poll "Net work" "Q?" "A"')).name == "Net work"
    assert poll is not None and (poll.question, poll.options) == ("Which day?", ("Mon", "Tue"))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("info", "error.missing_name"),
        ("info " + "x" * 151, "error.name_too_long"),
        ("role x <@U1|a>", "error.usage"),
        ("role x <@U1|a> king", "error.unknown_role"),
        ("list scope:moon", "error.filter_value"),
        ("nope", "error.unknown_command"),
    ],
)
def test_bad_commands_raise_a_keyed_error(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse(words(text))
    assert raised.value.key == key


@pytest.fixture(scope="module")
def networks() -> list[Searchable]:
    data = json.loads(ROOT_DATA.read_text())
    return [
        Searchable.of(
            i,
            n["id"],
            [n["name_fi"], n["name_en"], n.get("name_sv")],
            n["tags"],
            [n["description_en"], n["description_fi"]],
        )
        for i, n in enumerate(data)
    ], data


def ids(found, data) -> list[str]:
    return [data[key]["id"] for key in found]


def test_search_meets_compounds_and_inflections(networks) -> None:
    items, data = networks
    for query in ("ennakointi", "ennakoinnin", "Ennakointi", "ennäkointi"):
        assert "kansallinen-ennakointiverkosto" in ids(rank(query, items).keys, data)


def test_search_short_words_match_word_starts_only(networks) -> None:
    items, data = networks
    found = ids(rank("hr", items).keys, data)
    assert found[:2] == ["hr-juristiverkosto", "hr-sytyttajat"]
    assert "ennakointiluotsi" not in found


def test_search_all_words_first_then_some(networks) -> None:
    items, data = networks
    both = rank("ennakointi eu", items)
    assert both.complete and ids(both.keys, data) == ["eu-ennakointiverkosto"]
    partial = rank("maaseutu zzyzx", items)
    assert not partial.complete and "suomen-maaseutuverkosto" in ids(partial.keys, data)


def test_resolve_by_slug_name_prefix_ambiguity_and_suggestions(networks) -> None:
    items, data = networks
    assert data[resolve("keino", items).key]["id"] == "keino"
    assert data[resolve("Suomen maaseutuverkosto", items).key]["id"] == "suomen-maaseutuverkosto"
    assert data[resolve("suomen", items).key]["id"] == "suomen-maaseutuverkosto"
    assert len(resolve("valtion", items).candidates) == 5
    assert "kansallinen-ennakointiverkosto" in ids(
        resolve("ennakointiverkostoo", items).suggestions, data
    )
    assert resolve("", items) == resolve("   ", items)
