"""Hostile input, generated (hypothesis): the command parser, `/network` through the app, every
button's value, and the directory search form, fed random and adversarial text. Every request
gets a 200 and a clear answer; nothing raises, nothing reaches Slack unescaped (the stand-in
fixture fails on a raw broadcast), and nothing changes that the input should not change.

10,000 cases in all; run with `pytest -m fuzz` (`.ci/run` does).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import parse
from bot.errors import VerkostoError
from bot.services import Services
from handlers.slack.payloads import tokenize
from handlers.slack.render import ActionId
from tests.support import OUTSIDER, Slack, snapshot, text_of

pytestmark = pytest.mark.fuzz

TRICKS = [
    "<!channel>",
    "<!everyone>",
    "<!here|here>",
    "<@U0AINO>",
    "<#C0ENNAKOINTI|ennakointi>",
    "<https://evil.example|click>",
    "*bold* _it_ ~s~ `code` ```block```",
    "\u202ekäännetty\u202c",
    "\u200b\u200c\u200d\ufeff",
    "\u0000",
    '{"q": "x", "o": 99999999999999}',
    "1:2",
    "kansallinen-ennakointiverkosto",
    '"unclosed',
    "--closes 2d",
    "2026-02-30..2026-13-01",
    "&amp; &lt; &gt;",
    "ääkkösiä ÅÄÖ",
    "🙂" * 3,
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
).map(json.dumps)
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(TRICKS) | st.text(max_size=20), max_size=8).map(" ".join),
    JSON_VALUES,
    st.tuples(st.sampled_from(TRICKS), st.integers(1_000, 100_000)).map(
        lambda repeated: (repeated[0] * repeated[1])[:100_000]
    ),
)


def fuzz(examples: int) -> settings:
    """Settings for one fuzz test: this many cases, no deadline (a case may wait on the
    database), nothing saved between runs."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


IDS = re.compile(r"^\d{1,12}(:\d{1,12})?$")


def answered(slack: Slack, exchange: Any) -> str:
    """The person's answer, which every request must get, and never a crash's."""
    assert exchange.response.status == 200
    text = " ".join(text_of(call) for call in exchange.replies)
    assert "Something went wrong" not in text, text
    return text


@fuzz(4_000)
@given(HOSTILE)
def test_the_parser_reads_a_command_or_says_what_is_wrong(text: str) -> None:
    try:
        parse(tokenize(text))
    except VerkostoError as error:
        assert error.key


@fuzz(1_500)
@given(HOSTILE)
def test_any_command_text_gets_a_clear_answer(slack: Slack, directory: Services, text: str) -> None:
    exchange = slack.command(OUTSIDER, text[:4_000])
    assert answered(slack, exchange) or exchange.to("views.open")


@fuzz(3_000)
@given(st.sampled_from(list(ActionId)), HOSTILE)
def test_any_button_value_is_refused_clearly_and_changes_nothing(
    slack: Slack, directory: Services, action: ActionId, value: str
) -> None:
    before = snapshot(directory)
    exchange = slack.click(OUTSIDER, action.value, value[:2_000])
    assert exchange.response.status == 200
    said = " ".join(text_of(call) for call in exchange.calls if call.method != "views.open")
    assert "Something went wrong" not in said, (action, said)
    if not IDS.match(value) and action not in (ActionId.HOME_LANGUAGE, ActionId.HOME_DIGEST):
        assert snapshot(directory) == before, (action, value)


@fuzz(1_500)
@given(HOSTILE, st.lists(HOSTILE, max_size=3), HOSTILE)
def test_the_search_form_takes_anything(
    slack: Slack, directory: Services, query: str, scopes: list[str], category: str
) -> None:
    view = {"type": "modal", "callback_id": "directory.search", "id": "V0FUZZ"}
    values = {
        "query": {"value": {"type": "plain_text_input", "value": query[:3_000]}},
        "category": {"value": {"type": "static_select", "selected_option": {"value": category}}},
        "scopes": {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": scope} for scope in scopes],
            }
        },
    }
    before = snapshot(directory)
    response = slack.driver.submit(OUTSIDER, view, values)
    assert response.status == 200
    assert response.json()["response_action"] == "update"
    assert "Something went wrong" not in json.dumps(response.json())
    assert snapshot(directory) == before
