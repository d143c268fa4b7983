"""Weak signals: saved by command and by the message shortcut, shared in the network's channel,
seconded with "+1", listed and exported; all through signed requests against the stand-in."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.services import Services
from handlers.slack.standin.server import Call, WebApiStandIn
from storage.models import Signal, SignalSecond
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Slack,
    buttons_of,
    raw_broadcasts,
    snapshot,
    text_of,
)

NOTICED = "Municipalities are piloting AI assistants for building permits"


def signals(services: Services) -> list[Signal]:
    with services.db.snapshot() as store:
        query = select(Signal).options(joinedload(Signal.author)).order_by(Signal.id)
        return list(store.session.scalars(query))


def seconds(services: Services) -> list[tuple[int, int]]:
    with services.db.snapshot() as store:
        rows = store.session.execute(select(SignalSecond.signal_id, SignalSecond.person_id))
        return [tuple(row) for row in rows]


def save(slack: Slack, user_id: str = MEMBER, text: str = NOTICED) -> Call:
    """Save a signal by command; the post it made in the network's channel."""
    answer = slack.command(user_id, f"signal {FORESIGHT} {text}")
    assert "Saved as a weak signal in *National foresight network*" in answer.text, answer.text
    [posted] = answer.to("chat.postMessage")
    assert posted.ok and posted.params["channel"] == LINKED
    return posted


def second(slack: Slack, user_id: str, post: Call) -> Any:
    [plus_one] = buttons_of(post)
    return slack.click(user_id, plus_one["action_id"], plus_one["value"], channel_id=LINKED)


def test_a_member_saves_a_signal_by_command_and_it_is_shared_in_the_channel(
    slack: Slack, directory: Services
) -> None:
    post = save(slack)
    assert "A weak signal in *National foresight network*" in text_of(post)
    assert f"> {NOTICED}" in text_of(post)
    assert "noted by Mikko Korhonen" in text_of(post)
    assert "0 others have seen it too" in text_of(post)
    assert [b["text"]["text"] for b in buttons_of(post)] == ["+1 Seen it too"]
    [stored] = signals(directory)
    assert (stored.text, stored.author.user_id, stored.channel_id) == (NOTICED, MEMBER, LINKED)
    assert stored.permalink is None and stored.source_ref is None


def test_plus_one_counts_others_who_saw_it_and_can_be_taken_back(
    slack: Slack, directory: Services
) -> None:
    post = save(slack)
    seen = second(slack, COORDINATOR, post)
    assert "Noted: you have seen it too. 1 person has." in seen.text
    [update] = seen.to("chat.update")
    assert "1 other has seen it too" in text_of(update)
    assert len(seconds(directory)) == 1
    taken_back = second(slack, COORDINATOR, post)
    assert "Taken back. 0 people have seen it too." in taken_back.text
    assert "0 others have seen it too" in text_of(taken_back.to("chat.update")[0])
    assert seconds(directory) == []
    own = second(slack, MEMBER, post)
    assert "You noted this signal yourself" in own.text
    outsider = second(slack, OUTSIDER, post)
    assert "Only members of *National foresight network*" in outsider.text
    assert seconds(directory) == []


def message_values(network_id: int | None, text: str) -> dict[str, Any]:
    chosen = {"selected_option": {"value": str(network_id)}} if network_id else {}
    return {
        "network": {"value": {"type": "static_select", **chosen}},
        "text": {"value": {"type": "plain_text_input", "value": text}},
    }


def test_the_message_shortcut_saves_any_message_with_a_link_to_it(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    message = {
        "ts": "1764400000.000100",
        "text": "Saw this: <!channel> AI in permits",
        "user": ADMIN,
    }
    opened = slack.shortcut(MEMBER, "signal.save", "C0GENERAL", message)
    assert opened.response.status == 200
    [form] = opened.to("views.open")
    view = form.response["view"]
    assert view["title"]["text"] == "Save as weak signal"
    [network_field] = [b for b in view["blocks"] if b["block_id"] == "network"]
    [offered] = network_field["element"]["options"]
    assert offered["text"]["text"] == "National foresight network"
    text_field = next(b for b in view["blocks"] if b["block_id"] == "text")
    assert text_field["element"]["initial_value"] == message["text"]

    done = slack.submit(MEMBER, view, message_values(int(offered["value"]), message["text"]))
    assert done.response.json()["response_action"] == "update"
    assert "Saved as a weak signal" in str(done.response.json()["view"])
    [stored] = signals(directory)
    assert (stored.source_conversation, stored.source_ref) == ("C0GENERAL", message["ts"])
    assert stored.permalink == "https://standin.slack.com/archives/C0GENERAL/p1764400000000100"
    [posted] = done.to("chat.postMessage")
    assert "<https://standin.slack.com/archives/C0GENERAL/p1764400000000100>" in text_of(posted)
    assert raw_broadcasts(standin) == [], "the message's <!channel> is shown, never sent"

    before = snapshot(directory)
    again = slack.submit(MEMBER, view, message_values(int(offered["value"]), "once more"))
    assert "already a weak signal" in str(again.response.json()["view"])
    unchosen = slack.submit(MEMBER, view, message_values(None, "no network"))
    assert unchosen.response.json()["errors"] == {
        "network": "Choose the network to keep the signal in."
    }
    too_long = slack.submit(MEMBER, view, message_values(int(offered["value"]), "x" * 4000))
    assert "at most 1500 characters" in too_long.response.json()["errors"]["text"]
    assert snapshot(directory) == before


def test_the_shortcut_tells_someone_without_networks_where_to_find_one(
    slack: Slack, directory: Services
) -> None:
    message = {"ts": "1764400000.000200", "text": "A sign of change"}
    answer = slack.shortcut(OUTSIDER, "signal.save", "C0GENERAL", message)
    assert answer.to("views.open") == []
    assert "you are not in any yet" in answer.text


def test_signals_are_listed_newest_first_and_exported_for_coordinators(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    first = save(slack, text='=HYPERLINK("https://evil.example")')
    save(slack, COORDINATOR, text="Young people move back to rural municipalities")
    second(slack, COORDINATOR, first)
    listing = slack.command(MEMBER, f"signals {FORESIGHT}")
    assert "*National foresight network*: 2 weak signals, newest first" in listing.text
    body = listing.text
    assert body.index("Young people move back") < body.index("HYPERLINK")
    assert "1 other has seen it too" in body
    assert [b["text"]["text"] for b in listing.buttons()] == ["+1 Seen it too"] * 2
    theirs = slack.command(COORDINATOR, f"signals {FORESIGHT}")
    assert [b["text"]["text"] for b in theirs.buttons()] == ["+1 Seen it too", "✓ Seen it too"]
    assert "signals kansallinen-ennakointiverkosto export" in theirs.text
    assert "signals kansallinen-ennakointiverkosto export" not in body, "members see no export"

    refused = slack.command(MEMBER, f"signals {FORESIGHT} export")
    assert "Only the coordinators of *National foresight network*" in refused.text
    assert standin.files == {}
    exported = slack.command(COORDINATOR, f"signaalit {FORESIGHT} vie")
    assert "CSV" in exported.text
    [shared] = standin.files.values()
    assert shared["filename"] == f"signals-{FORESIGHT}.csv" and shared["channel"] == "D0AINO"
    rows = list(csv.reader(io.StringIO(shared["content"].decode())))
    assert rows[0] == ["saved_at", "author", "signal", "seen_too", "link"]
    by_text = {row[2]: row for row in rows[1:]}
    assert by_text['\'=HYPERLINK("https://evil.example")'][1:4] == [
        "Mikko Korhonen",
        '\'=HYPERLINK("https://evil.example")',
        "1",
    ], "a formula is kept as text"


def test_bad_signals_get_a_clear_answer_and_change_nothing(
    slack: Slack, directory: Services
) -> None:
    before = snapshot(directory)
    for text, expected in (
        (f"signal {FORESIGHT}", "Usage"),
        (f"signal {FORESIGHT} {'x' * 4000}", "at most 1500 characters"),
        ("signal no-such-network something", "no-such-network"),
        (f"signal {FORESIGHT} AI in permits", "Only members"),
        (f"signals {FORESIGHT}", "Only members"),
    ):
        user = OUTSIDER if "Only members" in expected else MEMBER
        answer = slack.command(user, text)
        assert expected in answer.text, (text, answer.text)
    assert snapshot(directory) == before


def test_a_broadcast_in_a_signal_is_shown_not_sent(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    post = save(slack, text="<!channel> new EU foresight report <@U0OLLI>")
    assert "&lt;!channel&gt;" in str(post.params["blocks"])
    assert raw_broadcasts(standin) == []
