"""One `verkosto serve` (a real gunicorn process) and one worker for a Slack workspace and a
Teams tenant, on one database: each platform at its own path, each workspace with its own
networks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.domain import Platform, Role
from bot.results.people import Profile
from handlers.slack.standin.driver import Driver
from handlers.slack.standin.driver import over_http as slack_over_http
from handlers.slack.standin.model import BOT_TOKEN
from handlers.teams.standin.cards import card_of, displayed
from handlers.teams.standin.connector import ConnectorStandIn
from handlers.teams.standin.driver import TeamsDriver, over_http
from tests.processes import eventually, free_port, run, serving
from tests.support import ADMIN, FORESIGHT, MEMBER, OUTSIDER, SIGNING_SECRET, as_actor, text_of
from tests.support import TEAMS_NETWORK as TENANT_NETWORK
from tests.teams.conftest import APP_ID, SECRET, TENANT


@pytest.fixture
def both(
    tmp_path: Path, standin, connector: ConnectorStandIn, database_url: str, db
) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "TEAMS_CLIENT_ID": APP_ID,
        "TEAMS_CLIENT_SECRET": SECRET,
        "TEAMS_KEYS_URL": connector.keys_url,
        "TEAMS_TOKEN_URL": connector.token_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
    }
    with serving(
        tmp_path, ready_line="background process for work after the ack is ready", **settings
    ) as served:
        assert "Slack and Microsoft Teams" in "".join(served.log)
        yield f"http://127.0.0.1:{port}", settings


def _teams_reply(connector: ConnectorStandIn, chat: str) -> str:
    assert eventually(lambda: bool(connector.sent_to(chat))), "no answer in Teams"
    return displayed(card_of(connector.sent_to(chat)[-1]))


def test_one_serve_answers_slack_and_teams_and_each_sees_only_its_own_networks(
    both, standin, connector: ConnectorStandIn, directory
) -> None:
    url, _ = both
    # `directory` imported the networks into the Slack workspace only.
    slack = Driver(slack_over_http(f"{url}/slack/events"), standin, SIGNING_SECRET)
    teams = TeamsDriver(connector, over_http(f"{url}/api/messages"), TENANT)
    person = connector.add_person("0b5e2a8e-tiin-4000-8000-000000000009", "Tiina Teams")

    assert slack.command(OUTSIDER, "list ennakointi").status == 200
    answer = standin.wait_for("response_url", timeout=5.0)
    assert answer is not None and "Networks for “ennakointi”* · 4 networks" in text_of(answer)

    assert teams.message(person, "network list").status == 200
    assert _teams_reply(connector, teams.chat_of(person)).startswith(
        "The directory is empty so far."
    )

    # And the other way: a network of the tenant is not found from Slack.
    assert directory.importer.run(TENANT, [TENANT_NETWORK], platform=Platform.TEAMS).ok
    assert teams.message(person, "network list ilmasto").status == 200
    assert eventually(
        lambda: "Municipal climate network" in _teams_reply(connector, teams.chat_of(person))
    )
    seq = standin.last_seq
    assert slack.command(OUTSIDER, "list ilmasto").status == 200
    answer = standin.wait_for("response_url", after=seq, timeout=5.0)
    assert answer is not None and "No network matches “ilmasto”" in text_of(answer)


def test_one_worker_sends_to_slack_and_to_teams(
    both, standin, connector: ConnectorStandIn, directory, tmp_path: Path
) -> None:
    url, settings = both
    teams = TeamsDriver(connector, over_http(f"{url}/api/messages"), TENANT)
    tiina = connector.add_person("0b5e2a8e-tiin-4000-8000-000000000009", "Tiina Teams")
    assert directory.importer.run(TENANT, [TENANT_NETWORK], platform=Platform.TEAMS).ok
    chat = teams.chat_of(tiina)
    assert teams.message(tiina, f"network join {TENANT_NETWORK['id']}").status == 200
    assert eventually(lambda: len(connector.sent_to(chat)) == 1), "no welcome"

    # Admins of each make someone a coordinator; the notices wait in the outbox for the worker.
    slack_admin = as_actor(directory, standin, ADMIN)
    directory.memberships.set_role(slack_admin, FORESIGHT, MEMBER, Role.COORDINATOR)
    teams_admin = directory.people.identify(
        TENANT, "0b5e2a8e-anna-4000-8000-000000000011", _admin, platform=Platform.TEAMS
    )
    directory.memberships.set_role(
        teams_admin, TENANT_NETWORK["id"], tiina.aad_id, Role.COORDINATOR
    )
    seq = standin.last_seq

    worker = run(["worker", "--once"], tmp_path, **settings)

    assert worker.returncode == 0, worker.stderr
    assert re.search(r"messages sent: 2\b", worker.stderr), worker.stderr
    [to_mikko] = [call for call in standin.since(seq) if call.method == "chat.postMessage"]
    assert to_mikko.params["channel"] == MEMBER
    assert "coordinator" in text_of(to_mikko)
    assert eventually(lambda: len(connector.sent_to(chat)) == 2)
    assert "coordinator" in _teams_reply(connector, chat)


def _admin(_: str) -> Profile:
    return Profile("Anna Admin", is_workspace_admin=True)


def test_serve_refuses_teams_activities_without_a_valid_token(
    both, connector: ConnectorStandIn
) -> None:
    url, _ = both
    person = connector.add_person("0b5e2a8e-tiin-4000-8000-000000000009", "Tiina Teams")
    unsigned = TeamsDriver(connector, over_http(f"{url}/api/messages"), TENANT, signed=False)

    assert unsigned.message(person, "network help").status == 401

    assert connector.calls == []


def test_serve_with_teams_alone_and_the_worker_for_both(
    tmp_path: Path, connector: ConnectorStandIn, database_url: str, db
) -> None:
    port = free_port()
    settings = {
        "TEAMS_CLIENT_ID": APP_ID,
        "TEAMS_CLIENT_SECRET": SECRET,
        "VERKOSTO_SECRET": "ballots",
        "TEAMS_KEYS_URL": connector.keys_url,
        "TEAMS_TOKEN_URL": connector.token_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    person = connector.add_person(
        "0b5e2a8e-tiin-4000-8000-000000000009", "Tiina Teams", locale="sv-FI"
    )
    joiner = connector.add_person(
        "0b5e2a8e-jaana-400-8000-000000000010", "Jaana Teams", locale="fi-FI"
    )
    networks = str(Path(__file__).parents[2] / "bot" / "data" / "networks.json")
    imported = run(["import", networks, "--tenant", TENANT], tmp_path, **settings)
    assert imported.returncode == 0, imported.stderr
    with serving(tmp_path, **settings):
        teams = TeamsDriver(connector, over_http(f"http://127.0.0.1:{port}/api/messages"), TENANT)
        assert teams.message(person, "nätverk hjälp").status == 200
        assert _teams_reply(connector, teams.chat_of(person)).startswith(
            "Verkosto: den offentliga sektorns nätverk"
        )

        # Join answers at once; the welcome, with networks like it, follows from the process
        # that runs the work after the answers (the child process, with a runtime of its own).
        chat = teams.chat_of(joiner)
        assert teams.message(joiner, "network list ennakointi").status == 200
        assert eventually(lambda: len(connector.sent_to(chat)) == 1)
        pressed = teams.press(joiner, chat, "Liity", within="Kansallinen ennakointiverkosto")
        assert pressed.json()["value"] == "Selvä. Vastaus tulee keskusteluusi Verkoston kanssa."
        assert eventually(lambda: len(connector.sent_to(chat)) == 2), "no welcome"
        assert _teams_reply(connector, chat).startswith(
            "Tervetuloa! Olet nyt jäsenenä verkostossa Kansallinen ennakointiverkosto."
        )
        assert "Saatat pitää myös näistä:" in _teams_reply(connector, chat)

    worker = run(["worker", "--once"], tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, **settings)
    assert worker.returncode == 0, worker.stderr
    assert "messages sent: 0" in worker.stderr
