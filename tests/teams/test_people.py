"""A person's own data, files as links, roles given by mentioning someone, members, and the
digests, in Teams."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from urllib.parse import urlparse

from sqlalchemy import select

from bot import worker
from bot.clock import FrozenClock
from bot.domain import Attendance, DigestFrequency, Platform, Role
from bot.platforms import ServedPlatforms
from handlers.teams.standin.cards import actions, card_of, displayed
from handlers.web.routes import web_app
from storage.models import ConversationAddress, HandedFile, Membership, Person, Rsvp
from tests.teams.conftest import FORESIGHT, NETWORK_CHANNEL, Teams
from tests.teams.test_events import announce, announcement


def download(teams: Teams, url: str) -> tuple[str, dict[str, str], bytes]:
    """GET a link as `verkosto serve` answers it."""
    app = web_app({}, lambda: True, files=teams.services.handed_files)
    answered: list[tuple[str, list[tuple[str, str]]]] = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": urlparse(url).path, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, lambda status, headers: answered.append((status, headers))))
    status, headers = answered[0]
    return status, dict(headers), body


def test_privacy_export_is_a_link_for_a_day_to_the_persons_own_data(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")

    teams.driver.message(teams.mikko, "network privacy export")

    sent = teams.connector.sent_to(teams.chat(teams.mikko))
    links = [a["url"] for a in actions(card_of(sent[-2])) if a["type"] == "Action.OpenUrl"]
    assert "Lähetin sinulle kaiken" in teams.last_shown(teams.mikko)
    [link] = links
    assert link.startswith("https://verkosto.example.fi/files/")
    status, headers, body = download(teams, link)
    assert status == "200 OK"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["Cache-Control"] == "private, no-store"
    exported = json.loads(body)
    assert "Mikko Korhonen" in json.dumps(exported, ensure_ascii=False)

    clock.advance(timedelta(hours=25))
    assert download(teams, link)[0] == "404 Not Found"
    assert download(teams, link.replace("/files/", "/files/x"))[0] == "404 Not Found"


def test_forget_asks_first_then_removes_the_person_their_address_and_files(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    teams.driver.message(teams.mikko, "network privacy export")

    teams.driver.message(teams.mikko, "network privacy forget")
    confirmation = teams.last_shown(teams.mikko)
    assert "Unohdetaanko sinut?" in confirmation and "[Unohda minut]" in confirmation

    answer = teams.driver.press(teams.mikko, teams.chat(teams.mikko), "Unohda minut").json()

    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Verkosto on unohtanut sinut" in displayed(answer["value"])
    with teams.services.db.snapshot() as store:
        session = store.session
        assert session.scalar(select(Person).where(Person.user_id == teams.mikko.aad_id)) is None
        assert session.get(ConversationAddress, teams.mikko.aad_id) is None
        assert session.scalars(select(HandedFile)).all() == []


def test_a_coordinator_gives_a_role_by_mentioning_someone(tenant_directory: Teams) -> None:
    teams = tenant_directory
    activity_text = f"network role {FORESIGHT} <at>Sara Lindqvist</at> coordinator"

    teams.driver.message_with_mention(teams.aino, activity_text, teams.sara, NETWORK_CHANNEL)

    assert "Sara Lindqvist" in teams.last_shown(teams.aino)
    with teams.services.db.snapshot() as store:
        role = store.session.scalar(
            select(Membership.role)
            .join(Person, Person.id == Membership.person_id)
            .where(Person.user_id == teams.sara.aad_id)
        )
    assert role is Role.COORDINATOR
    assert "Aino Virtanen" in teams.last_shown(teams.sara)
    teams.driver.message(teams.aino, f"network members {FORESIGHT}")
    assert "Sara Lindqvist" in teams.last_shown(teams.aino)


def test_someone_the_bot_never_met_gets_a_role_under_their_teams_name(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    stranger = teams.connector.add_person("0b5e2a8e-vier-4000-8000-000000000007", "Vieras Henkilö")
    text = f"network role {FORESIGHT} <at>Vieras Henkilö</at> member"

    teams.driver.message_with_mention(teams.aino, text, stranger, NETWORK_CHANNEL)

    with teams.services.db.snapshot() as store:
        person = store.session.scalar(select(Person).where(Person.user_id == stranger.aad_id))
    assert person is not None and person.display_name == "Vieras Henkilö"
    # Told of it in a chat the bot opens with them.
    assert "Aino Virtanen" in teams.last_shown(stranger)


def test_the_channel_gets_its_digest_and_the_away_get_theirs(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    served = ServedPlatforms.one(Platform.TEAMS, teams.runtime.courier.deliver)
    worker.configure(teams.services, served)

    clock.advance(timedelta(days=8))
    worker.run_due()

    digests = [
        displayed(card_of(body))
        for body in teams.connector.sent_to(NETWORK_CHANNEL)
        if "the digest" in displayed(card_of(body))
    ]
    assert len(digests) == 1
    assert "Mikko Korhonen" in digests[0]
    # A week later Aino, away all along, hears that Sara joined her network.
    teams.driver.message(teams.sara, f"network join {FORESIGHT}")
    clock.advance(timedelta(days=7))
    worker.run_due()
    shown = teams.shown(teams.aino)
    [digest] = [at for at, text in enumerate(shown) if "[Lopeta nämä koosteet]" in text]
    assert "Kansallinen ennakointiverkosto: 1 liittyi" in shown[digest]

    chat = teams.chat(teams.aino)
    answer = teams.driver.press(teams.aino, chat, "Lopeta nämä koosteet", message=digest).json()
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    with teams.services.db.snapshot() as store:
        frequency = store.session.scalar(
            select(Person.digest_frequency).where(Person.user_id == teams.aino.aad_id)
        )
    assert frequency is DigestFrequency.NEVER


def test_home_shows_the_persons_networks_events_and_settings_and_refreshes(
    tenant_directory: Teams, clock: FrozenClock
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    teams.driver.message(teams.aino, f'network poll {FORESIGHT} "Kahvia vai teetä?" Kahvi Tee')
    clock.advance(timedelta(minutes=1))

    teams.driver.message(teams.mikko, "koti")

    home = teams.last_shown(teams.mikko)
    assert home.startswith("Verkosto")
    assert "Kansallinen ennakointiverkosto · jäsen" in home
    assert "Kahvia vai teetä?" in home and "[Kahvi]" in home
    assert "Luet minua kielellä suomi" in home
    teams.driver.press(teams.mikko, teams.chat(teams.mikko), "Kahvi")
    answer = teams.driver.press(teams.mikko, teams.chat(teams.mikko), "Päivitä", message=-2).json()

    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Kahvia vai teetä?" not in displayed(answer["value"])


def test_home_lists_the_events_one_goes_to_and_answers_from_there(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    announce(teams)
    teams.driver.press(teams.mikko, NETWORK_CHANNEL, "Going")
    assert "Going: Mikko Korhonen" in announcement(teams)

    teams.driver.message(teams.mikko, "koti")

    home = teams.last_shown(teams.mikko)
    assert "seuraavaksi: Ennakointiaamu <at>Kaikki</at> to 10.12.2026 9.00" in home
    going = home.split("Tapahtumat, joihin olen menossa\n")[1]
    assert going.startswith(
        "Ennakointiaamu <at>Kaikki</at> · to 10.12.2026, 9.00–11.00 · "
        "Kansallinen ennakointiverkosto · sinä: tulossa\n[Tulen]\n[Ehkä]\n[En tule]"
    )
    teams.driver.press(teams.mikko, teams.chat(teams.mikko), "En tule", within="Ennakointiaamu")

    assert "Going: Mikko Korhonen" not in announcement(teams)
    with teams.services.db.snapshot() as store:
        [answer] = store.session.scalars(select(Rsvp)).all()
        assert answer.attendance is Attendance.NOT_GOING


def test_not_interested_on_the_home_card_answers_with_the_card_without_it(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    teams.driver.message(teams.mikko, f"network join {FORESIGHT}")
    teams.driver.message(teams.mikko, "koti")
    home = teams.last_shown(teams.mikko)
    assert "Ennakointiluotsi" in home and "[Ei kiinnosta]" in home

    answer = teams.driver.press(
        teams.mikko, teams.chat(teams.mikko), "Ei kiinnosta", within="Ennakointiluotsi"
    ).json()

    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    refreshed = displayed(answer["value"])
    assert refreshed.startswith("Verkosto") and "Ennakointiluotsi" not in refreshed


def test_a_linked_channel_deleted_in_teams_is_shown_on_the_coordinators_home(
    tenant_directory: Teams,
) -> None:
    teams = tenant_directory
    deleted = teams.driver.channel_event(teams.aino, "channelDeleted", NETWORK_CHANNEL)
    assert deleted.status == 200

    teams.driver.message(teams.aino, "koti")
    home = teams.last_shown(teams.aino)
    assert "Kanavat, jotka vaativat toimia:" in home
    assert "Kansallinen ennakointiverkosto: verkoston Teams-kanava poistettiin" in home
    assert f"network muokkaa {FORESIGHT}" in home
    teams.driver.message(teams.mikko, "koti")
    assert "Kanavat, jotka vaativat toimia" not in teams.last_shown(teams.mikko)

    restored = teams.driver.channel_event(teams.aino, "channelRestored", NETWORK_CHANNEL)
    assert restored.status == 200
    teams.driver.message(teams.aino, "koti")
    assert "Kanavat, jotka vaativat toimia" not in teams.last_shown(teams.aino)
