"""Bad input to every sub-command gets a clear private answer and changes nothing.

Each case asserts what reached Slack (one ephemeral answer, nothing else) and that the database
holds exactly what it held before. The `standin` fixture also checks that no raw broadcast
(`<!channel>`, `<!here>`, `<!everyone>`) reached Slack in any test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services import Services
from storage.models import Signal
from tests.support import COORDINATOR, FORESIGHT, MEMBER, Slack, snapshot

NAMED = {
    "info": "info {name}",
    "edit": "edit {name}",
    "join": "join {name}",
    "leave": "leave {name}",
    "members": "members {name}",
    "role": "role {name} <@U0MIKKO|mikko> chair",
    "event": "event {name}",
}
BAD_NAMES = {
    "unknown": ("zzyzx verkosto", "I found no network called “zzyzx verkosto”"),
    "ambiguous": ("valtion", "“valtion” matches several networks"),
    "missing": ("", "Which network? Usage: `/network "),
    "4000 characters": ("x" * 4000, "network names have at most 150 characters"),
    "broadcast": ("<!channel>", "I found no network called “&lt;!channel&gt;”"),
    "broadcast inside": ("ennakointi <!here|here> verkosto", "&lt;!here|here&gt;"),
    "everyone inside": (
        "<!everyone> ja sara",
        "I found no network called “&lt;!everyone&gt; ja sara”",
    ),
}

SETTINGS_USAGE = (
    "Usage: `/network settings language fi|sv|en, reminders on|off, or digest daily|weekly|never`"
)


def only_answered(answer) -> None:
    """The request led to one ephemeral reply and no other Web API call."""
    assert [call.method for call in answer.calls] == ["response_url"]
    assert answer.reply.params["response_type"] == "ephemeral"


@pytest.mark.parametrize("verb", NAMED)
@pytest.mark.parametrize("case", BAD_NAMES)
def test_a_bad_name_gets_a_clear_answer_and_changes_nothing(
    slack: Slack, directory, verb: str, case: str
) -> None:
    name, expected = BAD_NAMES[case]
    before = snapshot(directory)
    answer = slack.command(COORDINATOR, NAMED[verb].format(name=name))
    only_answered(answer)
    assert expected in answer.text
    assert snapshot(directory) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("frobnicate", "I do not know “frobnicate”"),
        ("joinn kansallinen", "Did you mean `join`?"),
        ("<@U0SARA|sara>", "Start with a keyword"),
        ("list " + "y" * 4000, "use at most 200 characters"),
        ("list category:", "“” is not a category"),
        ("list scope:<!channel>", "“&lt;!channel&gt;” is not a scope"),
        ("settings language klingon", "I do not speak “klingon”"),
        ("settings language", SETTINGS_USAGE),
        ("settings language fi sv", SETTINGS_USAGE),
        ("settings reminders", SETTINGS_USAGE),
        ("events zzyzx verkosto", "I found no network called “zzyzx verkosto”"),
        ("events " + "x" * 4000, "network names have at most 150 characters"),
        ("events <!channel>", "I found no network called “&lt;!channel&gt;”"),
        ("settings reminders maybe", SETTINGS_USAGE),
        ("settings <!channel>", "I do not speak “&lt;!channel&gt;”"),
        ("role", "Name one person with @"),
        ('join "unterminated quote', 'A quote (") opens but never closes'),
    ],
)
def test_bad_arguments_get_a_clear_answer_and_change_nothing(
    slack: Slack, directory, text: str, expected: str
) -> None:
    before = snapshot(directory)
    answer = slack.command(MEMBER, text)
    only_answered(answer)
    assert expected in answer.text
    assert snapshot(directory) == before


def test_escaped_characters_from_slack_are_read_as_typed(slack: Slack, directory) -> None:
    """Slack sends &, < and > as entities; the name is matched on what the person typed."""
    answer = slack.command(MEMBER, "info R&amp;D &lt;lab&gt;")
    assert "I found no network called “R&amp;D &lt;lab&gt;”" in answer.text


def test_control_characters_are_taken_out_of_what_is_typed(
    slack: Slack, directory: Services
) -> None:
    """Found by the fuzz suite on PostgreSQL, which cannot store a NUL: a comment with one
    failed. They are invisible; they are dropped wherever Slack sends text."""
    answer = slack.command(MEMBER, f"signal {FORESIGHT} Rural\x00 libraries\x07 lend\tVR")
    assert answer.posted(), answer.text
    with directory.db.snapshot() as store:
        [signal] = store.session.scalars(select(Signal)).all()
    assert signal.text == "Rural libraries lend VR"


@pytest.mark.parametrize("number", ["2147483648", "99999999999", "0"])
def test_an_id_no_row_can_have_is_refused_like_any_unknown_one(
    slack: Slack, directory: Services, number: str
) -> None:
    """Found by the fuzz suite on PostgreSQL, whose integer keys stop at 2,147,483,647: a
    larger id in a form failed the query instead of naming nothing."""
    before = snapshot(directory)
    pressed = slack.click(MEMBER, "event.going", number)
    assert "That button is out of date" in pressed.text, pressed.text
    voted = slack.click(MEMBER, "poll.vote.1", f"{number}:{number}")
    assert "That button is out of date" in voted.text, voted.text
    asked = slack.command(MEMBER, f"poll results {number}")
    assert "Usage:" in asked.text, asked.text
    message = {"ts": "1764400000.000100", "text": "AI in permits", "user": MEMBER}
    [form] = slack.shortcut(MEMBER, "signal.save", "C0GENERAL", message).to("views.open")
    values = {
        "network": {"value": {"type": "static_select", "selected_option": {"value": number}}},
        "text": {"value": {"type": "plain_text_input", "value": "AI in permits"}},
    }
    saved = slack.submit(MEMBER, form.response["view"], values).response.json()
    assert saved["response_action"] == "errors" and "network" in saved["errors"], saved
    assert snapshot(directory) == before


def test_a_command_whose_text_says_payload_is_read_whole(slack: Slack, directory: Services) -> None:
    """Found by the fuzz suite: Bolt reads a form that contains the word "payload" as an
    interaction and, finding none, as an empty request."""
    answer = slack.command(MEMBER, f"signal {FORESIGHT} Drones with a heavier payload in permits")
    assert answer.posted(), answer.text
    with directory.db.snapshot() as store:
        [signal] = store.session.scalars(select(Signal)).all()
    assert signal.text == "Drones with a heavier payload in permits"
