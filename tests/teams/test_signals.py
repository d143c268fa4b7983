"""Weak signals in Teams: saved from any message with the "Save as weak signal" message action,
posted in the network's channel, and seconded there."""

from __future__ import annotations

from sqlalchemy import select

from handlers.teams.standin.cards import card_of, displayed
from storage.models import Signal
from tests.teams.conftest import FORESIGHT, NETWORK_CHANNEL, Teams


def test_a_signal_is_saved_from_a_message_and_seconded_in_the_channel(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")

    opened = teams.driver.message_action(
        teams.mikko, NETWORK_CHANNEL, "<p>Tekoäly &amp; <b>virastot</b></p><p>&lt;at&gt;Kaikki</p>"
    ).json()

    fields = {
        node["id"]: node
        for node in opened["task"]["value"]["card"]["content"]["body"]
        if "id" in node
    }
    assert fields["text"]["value"] == "Tekoäly & virastot\n<at>Kaikki"
    assert fields["network"]["value"]  # his one network, chosen for him
    saved = teams.driver.submit_action(teams.mikko, NETWORK_CHANNEL, opened).json()

    assert saved["task"]["type"] == "message"
    assert "jaettu verkoston kanavalla" in teams.last_shown(teams.mikko)
    [post] = teams.connector.sent_to(NETWORK_CHANNEL)
    shown = displayed(card_of(post))
    assert "“Tekoäly & virastot\n<at>Kaikki”" in shown
    assert "[The original message]" in shown
    with teams.services.db.snapshot() as store:
        signal = store.session.scalars(select(Signal)).one()
        assert signal.source_conversation == NETWORK_CHANNEL

    seconded = teams.driver.press(teams.aino, NETWORK_CHANNEL, "+1 Seen it too").json()

    assert seconded["type"] == "application/vnd.microsoft.card.adaptive"
    assert "1 other has seen it too" in displayed(
        card_of(teams.connector.sent_to(NETWORK_CHANNEL)[0])
    )


def test_a_signal_needs_a_network_and_words(tenant_directory: Teams) -> None:
    teams = tenant_directory

    without = teams.driver.message_action(teams.olli, NETWORK_CHANNEL, "<p>Jotain</p>").json()
    assert without["task"] == {
        "type": "message",
        "value": "Join a network first: a weak signal is kept in one of your networks. "
        "Find one with network list.",
    }

    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    opened = teams.driver.message_action(teams.mikko, NETWORK_CHANNEL, "<p> </p>").json()
    again = teams.driver.submit_action(teams.mikko, NETWORK_CHANNEL, opened).json()

    assert again["task"]["type"] == "continue"
    with teams.services.db.snapshot() as store:
        assert store.session.scalars(select(Signal)).all() == []
