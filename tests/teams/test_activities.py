"""Teams through `POST /api/messages`: signed activities from the people of a tenant, answered
through the Bot Connector stand-in, which checks every card as Teams would."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from bot.domain import MembershipStatus, Platform
from bot.services.importer import bundled_networks
from handlers.teams.standin.cards import (
    CARD_TYPE,
    actions,
    card_of,
    card_problems,
    invoke_answer_problems,
)
from handlers.teams.standin.connector import CREATE, SEND, TOKEN
from handlers.teams.standin.connector import Person as TeamsPerson
from handlers.teams.standin.keys import SigningKeys
from storage.models import ConversationAddress, Membership, Network, Person, Workspace
from tests.teams.conftest import (
    APP_ID,
    BY_REQUEST,
    CLOSED,
    FORESIGHT,
    NETWORK_CHANNEL,
    TENANT,
    Teams,
    build_teams,
)


def _membership(teams: Teams, aad_id: str, slug: str) -> MembershipStatus | None:
    with teams.services.db.snapshot() as store:
        query = (
            select(Membership.status)
            .join(Person, Person.id == Membership.person_id)
            .join(Network, Network.id == Membership.network_id)
            .where(Person.user_id == aad_id, Network.slug == slug)
        )
        return store.session.scalar(query)


@pytest.mark.parametrize(
    ("who", "title", "join"),
    [
        ("aino", "Verkosto: julkisen sektorin verkostot", "network liity NIMI:"),
        ("sara", "Verkosto: den offentliga sektorns nätverk", "network anslut NAMN:"),
        ("olli", "Verkosto: the networks of the public sector", "network join NAME:"),
    ],
)
def test_help_comes_in_the_language_of_the_persons_teams(
    teams: Teams, who: str, title: str, join: str
) -> None:
    person = getattr(teams, who)

    response = teams.driver.message(person, "network help")

    assert response.status == 200
    shown = teams.last_shown(person)
    assert shown.startswith(title)
    # The sub-commands are listed in the person's words, as typed in Teams (no slash).
    assert f"\n{join}" in shown and "/network" not in shown


def test_the_bot_is_met_as_a_tenant_and_the_person_by_their_entra_id(teams: Teams) -> None:
    teams.driver.message(teams.mikko, "help")

    with teams.services.db.snapshot() as store:
        workspace = store.session.scalars(select(Workspace)).one()
        person = store.session.scalars(select(Person)).one()
        address = store.session.get(ConversationAddress, teams.mikko.aad_id)
    assert (workspace.team_id, workspace.platform) == (TENANT, Platform.TEAMS)
    assert (person.user_id, person.display_name, person.language) == (
        teams.mikko.aad_id,
        "Mikko Korhonen",
        "fi",
    )
    assert person.timezone == "Europe/Helsinki"
    assert address is not None
    assert address.conversation_id == teams.chat(teams.mikko)
    assert address.account_id == teams.mikko.account_id


def test_replies_carry_the_token_the_app_got_for_bot_connector(teams: Teams) -> None:
    teams.driver.message(teams.mikko, "help")
    teams.driver.message(teams.mikko, "help")

    sends = teams.connector.calls_to(SEND)
    assert [call.status for call in sends] == [201, 201]
    assert all(call.token in teams.connector.issued for call in sends)
    # One token, cached, for both replies.
    assert len(teams.connector.calls_to(TOKEN)) == 1


def test_unsigned_forged_and_expired_activities_are_refused(teams: Teams) -> None:
    activity = {
        "type": "message",
        "text": "network help",
        "serviceUrl": teams.connector.service_url,
        "from": {"id": teams.mikko.account_id, "aadObjectId": teams.mikko.aad_id},
        "conversation": {"id": teams.chat(teams.mikko), "conversationType": "personal"},
        "channelData": {"tenant": {"id": TENANT}},
    }
    service = teams.connector.service_url
    forger = SigningKeys(teams.connector.keys.key_id)
    tokens = {
        "unsigned": "",
        "forged": forger.token(APP_ID, service),
        "expired": teams.connector.keys.token(APP_ID, service, issued_at=time.time() - 7200),
        "for another app": teams.connector.keys.token(
            "00000000-0000-0000-0000-000000000000", service
        ),
    }
    for token in tokens.values():
        response = teams.driver.send(activity, token=token) if token else _unsigned(teams, activity)
        assert response.status == 401

    assert teams.connector.calls == []
    with teams.services.db.snapshot() as store:
        assert store.session.scalar(select(func.count()).select_from(Person)) == 0


def _unsigned(teams: Teams, activity: dict) -> object:
    teams.driver.signed = False
    try:
        return teams.driver.send(activity)
    finally:
        teams.driver.signed = True


def test_with_unauthenticated_allowed_nothing_is_checked_and_no_token_is_sent(
    teams_settings, teams_services, connector
) -> None:
    settings = teams_settings.model_copy(
        update={"teams_allow_unauthenticated": True, "teams_client_secret": None}
    )
    connector.secret = None
    teams = build_teams(settings, teams_services, connector, signed=False)

    assert teams.driver.message(teams.olli, "help").status == 200

    assert teams.last_shown(teams.olli).startswith("Verkosto: the networks")
    assert [call.token for call in connector.calls_to(SEND)] == [None]
    assert connector.calls_to(TOKEN) == []


def test_a_search_lists_networks_with_a_join_button_that_joins(tenant_directory: Teams) -> None:
    teams = tenant_directory

    teams.driver.message(teams.mikko, "network list ennakointi")

    listing = teams.last_shown(teams.mikko)
    assert "Kansallinen ennakointiverkosto" in listing
    assert "[Liity]" in listing
    response = teams.driver.press(
        teams.mikko, teams.chat(teams.mikko), "Liity", within="Kansallinen ennakointiverkosto"
    )

    assert response.status == 200
    answer = response.json()
    assert answer["statusCode"] == 200
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    # Teams has its answer at once; the welcome, with networks like this one, comes to the chat.
    assert answer["value"] == "Selvä. Vastaus tulee keskusteluusi Verkoston kanssa."
    welcome = teams.last_shown(teams.mikko)
    assert welcome.startswith(
        "Tervetuloa! Olet nyt jäsenenä verkostossa Kansallinen ennakointiverkosto."
    )
    assert "Saatat pitää myös näistä:" in welcome
    # A bot cannot add anyone to a Teams channel: the welcome says how to find it.
    assert "Botti ei voi lisätä ketään kanavalle" in welcome
    # The list is kept: the answer went below it.
    assert "[Liity]" in teams.shown(teams.mikko)[-2]
    assert _membership(teams, teams.mikko.aad_id, FORESIGHT) is MembershipStatus.ACTIVE


def test_join_pressed_again_is_told_in_the_chat_and_changes_nothing(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, "network list ennakointi")
    chat = teams.chat(teams.mikko)

    for _ in range(2):
        response = teams.driver.press(
            teams.mikko, chat, "Liity", within="Kansallinen ennakointiverkosto", message=0
        )
        assert response.json()["value"] == "Selvä. Vastaus tulee keskusteluusi Verkoston kanssa."

    assert teams.last_shown(teams.mikko) == (
        "Olet jo verkoston Kansallinen ennakointiverkosto jäsen."
    )
    assert _membership(teams, teams.mikko.aad_id, FORESIGHT) is MembershipStatus.ACTIVE
    assert len(teams.shown(teams.mikko)) == 3


def test_joining_by_request_asks_the_coordinator_who_approves_in_the_card(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory

    teams.driver.message(teams.olli, f"network join {BY_REQUEST}")

    assert "on its way to the coordinators" in teams.last_shown(teams.olli)
    notice = teams.last_shown(teams.aino)
    assert "Olli Mäkinen" in notice and "[Hyväksy]" in notice and "[Hylkää]" in notice
    assert _membership(teams, teams.olli.aad_id, BY_REQUEST) is MembershipStatus.PENDING

    response = teams.driver.press(teams.aino, teams.chat(teams.aino), "Hyväksy")

    answer = response.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    replaced = " ".join(run["text"] for run in answer["value"]["body"][0]["inlines"])
    assert "hyväksyi" in replaced and "Olli Mäkinen" in replaced
    assert actions(answer["value"]) == []
    assert "approved" in teams.last_shown(teams.olli)
    assert _membership(teams, teams.olli.aad_id, BY_REQUEST) is MembershipStatus.ACTIVE


def test_a_declined_request_is_told_and_leaves_no_membership(tenant_directory: Teams) -> None:
    teams = tenant_directory
    teams.driver.message(teams.sara, f"network anslut {BY_REQUEST}")

    teams.driver.press(teams.aino, teams.chat(teams.aino), "Hylkää")

    assert "avslogs" in teams.last_shown(teams.sara)
    assert _membership(teams, teams.sara.aad_id, BY_REQUEST) is not MembershipStatus.ACTIVE


def test_a_closed_network_cannot_be_joined(tenant_directory: Teams) -> None:
    teams = tenant_directory

    teams.driver.message(teams.olli, f"network join {CLOSED}")

    assert "by invitation only. Ask a coordinator to add you: Aino Virtanen" in teams.last_shown(
        teams.olli
    )
    assert _membership(teams, teams.olli.aad_id, CLOSED) is None


def test_a_command_in_a_channel_is_answered_in_the_persons_own_chat(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    newcomer = teams.connector.add_person("0b5e2a8e-uusi-4000-8000-000000000005", "Uusi Ihminen")

    response = teams.driver.message(newcomer, "list ennakointi", channel=NETWORK_CHANNEL)

    assert response.status == 200
    assert teams.connector.sent_to(NETWORK_CHANNEL) == []
    assert [call.status for call in teams.connector.calls_to(CREATE)] == [201]
    assert teams.last_shown(newcomer).startswith("Networks for “ennakointi”")


def test_names_with_mentions_html_and_markdown_are_shown_as_typed(tenant_directory: Teams) -> None:
    teams = tenant_directory
    hostile = "<at>Kaikki</at> <b>lihavoitu</b> **tähti** [linkki](https://x.example)"
    coordinator = teams.actor(teams.aino)
    editable = teams.services.networks.editable(coordinator, FORESIGHT)
    values = {**editable.form.model_dump(), "name_fi": hostile}
    teams.services.networks.update(coordinator, editable.network_id, values)

    teams.driver.message(teams.mikko, f"network info {FORESIGHT}")

    card = teams.connector.last_card(teams.chat(teams.mikko))
    runs = [
        run
        for block in card["body"]
        if block["type"] == "RichTextBlock"
        for run in block["inlines"]
    ]
    assert any(run["text"] == hostile for run in runs)
    assert not any(hostile in str(block.get("text", "")) for block in card["body"])
    sent = teams.connector.sent_to(teams.chat(teams.mikko))[-1]
    assert "entities" not in sent


def test_a_card_teams_would_refuse_is_refused_by_the_stand_in(teams: Teams) -> None:
    teams.driver.message(teams.mikko, "help")
    card = card_of(teams.connector.sent_to(teams.chat(teams.mikko))[-1])
    refused = {
        **card,
        "version": "1.6",
        "actions": [
            {"type": "Action.Execute", "title": "x", "verb": "nope"},
            # A verb of the core's, but in Teams a button that opens a dialog, never pressed.
            {"type": "Action.Execute", "title": "Edit", "verb": "event.edit"},
        ],
    }

    in_message = card_problems({"attachments": [{"contentType": CARD_TYPE, "content": refused}]})
    pressed = invoke_answer_problems({"statusCode": 200, "type": CARD_TYPE, "value": refused})
    dialog = invoke_answer_problems(
        {"task": {"type": "continue", "value": {"card": {"content": refused}}}}
    )

    for problems in (in_message, pressed, dialog):
        assert any("1.6" in problem for problem in problems)
        assert any("'nope'" in problem for problem in problems)
        assert any("'event.edit'" in problem for problem in problems)
    assert card_problems({"attachments": [{"contentType": CARD_TYPE, "content": card}]}) == []


def test_a_malformed_activity_is_refused_before_anything_else(teams: Teams) -> None:
    activity = {"type": "message", "from": "not an account", "channelData": ["no"]}

    assert teams.driver.send(activity).status == 400
    assert teams.connector.calls == []


def test_a_single_tenant_app_refuses_other_tenants(
    teams_settings, teams_services, connector
) -> None:
    settings = teams_settings.model_copy(
        update={"teams_tenant_id": "11111111-2222-3333-4444-555555555555"}
    )
    teams = build_teams(settings, teams_services, connector)

    assert teams.driver.message(teams.mikko, "help").status == 403
    assert teams.connector.calls_to(SEND) == []


def test_the_people_teams_admins_names_manage_any_network(
    teams_settings, teams_services, connector
) -> None:
    olli = "0b5e2a8e-olli-4000-8000-000000000004"
    settings = teams_settings.model_copy(update={"teams_admins": f"x, {olli.upper()}"})
    teams = build_teams(settings, teams_services, connector)
    imported = teams_services.importer.run(TENANT, bundled_networks(), platform=Platform.TEAMS)
    assert imported.ok

    teams.driver.message(teams.olli, f"network edit {FORESIGHT}")
    teams.driver.message(teams.mikko, f"network edit {FORESIGHT}")

    assert "Press the button to open the form." in teams.last_shown(teams.olli)
    assert "Press the button" not in teams.last_shown(teams.mikko)


def test_someone_the_bot_cannot_reach_in_a_chat_is_told_how_in_the_thread(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    # Teams refuses the bot a chat with someone who has not the app installed for them.
    outsider = TeamsPerson(
        "0b5e2a8e-ulko-4000-8000-000000000008", "29:ulkopuolinen", "Ulla Ulko", "fi-FI"
    )

    response = teams.driver.message(outsider, "list ennakointi", channel=NETWORK_CHANNEL)

    assert response.status == 200
    assert [call.status for call in teams.connector.calls_to(CREATE)] == [403]
    [note] = teams.connector.shown(NETWORK_CHANNEL)
    assert note.startswith("En voinut vastata sinulle omassa keskustelussamme")
    assert "ennakointi" not in note.lower().split("keskustelussamme")[1]


def test_not_interested_on_a_suggestion_hides_it_from_that_person_only(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network similar {FORESIGHT}")
    suggested = teams.last_shown(teams.mikko)
    assert "[Ei kiinnosta]" in suggested
    assert "Ennakointiluotsi" in suggested

    response = teams.driver.press(
        teams.mikko, teams.chat(teams.mikko), "Ei kiinnosta", within="Ennakointiluotsi"
    )

    assert response.json()["statusCode"] == 200
    assert teams.last_shown(teams.mikko) == (
        "Selvä: en ehdota sinulle enää verkostoa Ennakointiluotsi."
    )
    teams.driver.message(teams.mikko, f"network similar {FORESIGHT}")
    assert "Ennakointiluotsi" not in teams.last_shown(teams.mikko)
    teams.driver.message(teams.sara, f"network similar {FORESIGHT}")
    assert "ennakointiluotsi" in teams.last_shown(teams.sara), "still suggested to Sara"
