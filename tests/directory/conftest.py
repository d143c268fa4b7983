"""The public web directory over the real services: the real networks of a Slack workspace, a
few of them published by their coordinators, an announced event, and a Teams tenant that
publishes a network of its own. Requests go through `verkosto serve`'s WSGI application."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from bot.domain import Platform
from bot.results.people import Profile
from bot.services import Services
from bot.settings import Settings
from handlers.slack.standin.server import WebApiStandIn
from handlers.web.directory.app import directory_app
from handlers.web.routes import web_app
from tests.support import ADMIN, FORESIGHT, TEAMS_NETWORK, Slack, as_actor
from tests.test_events import announce, event_id

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TEAMS_APP = "4b1f0f3c-5d2e-4a8b-9c61-2f7e8d9a0b13"
CONTACT = "verkosto@example.fi"
TEAMS_PERSON = "0b5e2a8e-tiin-4000-8000-000000000009"
PUBLISHED = (
    FORESIGHT,
    "eu-ennakointiverkosto",
    "osaamisen-ennakointifoorumi",
    "hr-juristiverkosto",
    "valtion-kehittajaverkosto",
)
UNPUBLISHED = "auroraai-verkosto"
UNLISTED = "ennakointiluotsi"
ARCHIVED = "keino"
# Who the bot knows, and must never show: names and platform ids.
PEOPLE = (
    "Aino",
    "Virtanen",
    "Mikko",
    "Sara",
    "Olli",
    "Mäkinen",
    "Tiina",
    "U0AINO",
    "U0MIKKO",
    "U0SARA",
    "U0OLLI",
    "0b5e2a8e-tiin",
)


@dataclass
class Web:
    client: Client
    services: Services
    event_id: int
    bodies: list[bytes]

    def get(self, path: str, **headers: str) -> TestResponse:
        """GET `path`; every body is kept, and none may name or point at a person."""
        response = self.client.get(path, headers=headers)
        self.bodies.append(response.get_data())
        return response


def publish(services: Services, standin: WebApiStandIn, slug: str, **changes: Any) -> None:
    """As a workspace admin would in the edit form."""
    admin = as_actor(services, standin, ADMIN)
    editable = services.networks.editable(admin, slug)
    services.networks.update(
        admin, editable.network_id, {**editable.form.model_dump(), "published": True, **changes}
    )


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "verkosto_web_directory": True,
            "slack_app_id": "A0VERKOSTO",
            "teams_client_id": TEAMS_APP,
            "verkosto_web_contact": CONTACT,
        }
    )


@pytest.fixture
def web(
    slack: Slack, directory: Services, standin: WebApiStandIn, web_settings: Settings
) -> Iterator[Web]:
    _, posted = announce(slack)
    for slug in PUBLISHED:
        publish(directory, standin, slug)
    publish(directory, standin, UNLISTED, listed=False)
    publish(directory, standin, ARCHIVED, archived=True)
    report = directory.importer.run(TENANT, [TEAMS_NETWORK], platform=Platform.TEAMS)
    assert report.ok, report.rejections
    directory.people.identify(
        TENANT,
        TEAMS_PERSON,
        lambda _: Profile("Tiina Teams"),
        platform=Platform.TEAMS,
    )
    application = web_app(
        {},
        directory.healthy,
        directory.calendars,
        directory=directory_app(web_settings, directory),
    )
    web = Web(Client(application), directory, event_id(posted), [])
    yield web
    for body in web.bodies:
        text = body.decode("utf-8", "replace")
        assert not [person for person in PEOPLE if person in text], text[:500]
