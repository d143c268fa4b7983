"""Polls in Teams: asked on one line or in a dialog, voted with the poll's buttons (the poll
updated in place for everyone, the voter's own choice shown to them alone), anonymous polls
that name nobody anywhere."""

from __future__ import annotations

from handlers.teams.standin.cards import card_of, displayed
from handlers.teams.standin.connector import UPDATE
from tests.teams.conftest import FORESIGHT, NETWORK_CHANNEL, Teams


def poll_shown(teams: Teams) -> str:
    [posted] = teams.connector.sent_to(NETWORK_CHANNEL)
    return displayed(card_of(posted))


def test_a_one_line_poll_is_posted_and_a_vote_updates_it_for_everyone(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")

    teams.driver.message(
        teams.aino, f'network poll {FORESIGHT} "Kumpi päivä sopii?" "Maanantai" "Tiistai"'
    )

    assert "julkaistaan verkoston kanavalla" in teams.last_shown(teams.aino)
    shown = poll_shown(teams)
    assert shown.startswith("Kumpi päivä sopii?")
    assert shown.count("[Vote]") == 2

    voted = teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Vote", within="Tiistai").json()

    assert voted["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Tiistai" in displayed(voted["value"]).splitlines()[-1]
    assert "██████████ 1 vote (100 %)" in poll_shown(teams)
    assert [call.status for call in teams.connector.calls_to(UPDATE)] == [200]


def test_an_anonymous_poll_names_nobody_in_any_message(tenant_directory: Teams) -> None:
    teams = tenant_directory
    voters = (teams.mikko, teams.sara, teams.olli)
    for person in voters:
        teams.driver.message(person, f"network join {FORESIGHT}")
    teams.driver.message(
        teams.aino, f'network poll {FORESIGHT} "Onko etätyö toiminut?" Kyllä Ei —anonymous'
    )

    for person, choice in zip(voters, ("Kyllä", "Ei", "Kyllä"), strict=True):
        teams.driver.press(person, NETWORK_CHANNEL, "Vote", within=choice)
    teams.driver.message(teams.aino, "network poll results 1")

    everything = "\n".join(
        displayed(card_of(body))
        for (conversation, _), body in teams.connector.messages.items()
        if conversation == NETWORK_CHANNEL
    )
    everything += "\n" + teams.last_shown(teams.aino)
    assert "Anonymous: nobody" in everything
    assert "3 on äänestänyt" in everything
    for person in voters:
        assert person.name not in everything
        assert person.name.split()[0] not in everything


def test_a_poll_is_asked_in_a_dialog(tenant_directory: Teams) -> None:
    teams = tenant_directory
    chat = teams.chat(teams.aino)
    teams.driver.message(teams.aino, f"network poll {FORESIGHT}")
    opened = teams.driver.open_dialog(teams.aino, chat, "Uusi kysely").json()

    teams.driver.submit_dialog(
        teams.aino,
        chat,
        opened,
        question="Miten aamu onnistui?",
        kind="stars",
        members_add_options="false",
    )

    shown = poll_shown(teams)
    assert shown.startswith("Miten aamu onnistui?")
    assert "[★★★★★]" in shown
