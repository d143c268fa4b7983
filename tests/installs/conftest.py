"""A deployment that Slack workspaces install themselves (OAuth v2), against the stand-in: the
app over the real services, served by `verkosto serve`'s web application for the install pages,
and a driver per workspace for what its people do."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from slack_bolt import App
from sqlalchemy import select, update
from werkzeug.test import Client

from bot.services import Services
from bot.settings import Settings
from handlers.background import InThisProcess
from handlers.immediate import ImmediateExecutor
from handlers.slack.app import build_app
from handlers.slack.client import web_client
from handlers.slack.courier import SlackCourier, slack_courier
from handlers.slack.server import wsgi_app
from handlers.slack.standin.driver import Driver, in_process
from handlers.slack.standin.model import CLIENT_ID, CLIENT_SECRET, Install
from handlers.slack.standin.server import WebApiStandIn
from storage.models import slack_bots, slack_oauth_states
from tests.support import SIGNING_SECRET

SITE = "https://verkosto.example.fi"
AGENCY = Install("T0AGENCY01", "Virasto yksi")
OTHER_AGENCY = Install("T0AGENCY02", "Virasto kaksi")
# An Enterprise Grid organisation that installs the app org-wide, and two of its workspaces.
GRID = Install(None, None, "E0VALTIO", "Valtio", is_enterprise_install=True)
GRID_WORKSPACES = ("T0GRIDVM", "T0GRIDOM")
# Long past: the store keeps naive UTC times.
EPOCH = datetime(2000, 1, 1)


@dataclass
class Installing:
    """The app, its web pages, the stand-in and the services over one database."""

    app: App
    web: Client
    standin: WebApiStandIn
    services: Services
    settings: Settings
    drivers: dict[str, Driver] = field(default_factory=dict)

    def start(self) -> tuple[str, dict[str, list[str]]]:
        """An admin opens the install link: where they are sent, and its query."""
        answer = self.web.get("/slack/install", base_url=SITE)
        assert answer.status_code == 302, answer.get_data(as_text=True)
        location = answer.headers["Location"]
        return location, parse_qs(urlparse(location).query)

    def come_back(self, code: str, state: str) -> tuple[int, str]:
        """Slack sends the admin's browser back with the code and the state."""
        answer = self.web.get(f"/slack/oauth_redirect?code={code}&state={state}", base_url=SITE)
        return answer.status_code, answer.get_data(as_text=True)

    def install(self, where: Install, rotating: bool = False) -> str:
        """The whole install, approved on Slack's page; the token the workspace got."""
        _, query = self.start()
        status, page = self.come_back(self.standin.grant(where, rotating), query["state"][0])
        assert status == 200, page
        return self.token_of(where)

    def token_of(self, where: Install) -> str:
        tokens = [token for token, at in self.standin.installs.items() if at == where]
        assert tokens, f"{where} has no token"
        return tokens[-1]

    def driver(self, where: Install, team_id: str | None = None) -> Driver:
        """Slack, sending what the people of a workspace do (`team_id`: one of an org-wide
        install's workspaces)."""
        team = team_id or where.team_id
        assert team is not None
        if team not in self.drivers:
            # One per workspace: its event ids are its own.
            self.drivers[team] = Driver(
                in_process(self.app),
                self.standin,
                SIGNING_SECRET,
                team_id=team,
                enterprise_id=where.enterprise_id,
                org_wide=where.is_enterprise_install,
            )
        return self.drivers[team]

    def courier(self) -> SlackCourier:
        """The worker's courier, as `verkosto worker` builds it."""
        return slack_courier(self.settings, self.services, web_client(self.settings, retries=False))

    def stored_bots(self) -> list[dict[str, object]]:
        with self.services.db.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(select(slack_bots))]

    def expire_states(self) -> None:
        with self.services.db.engine.begin() as connection:
            connection.execute(update(slack_oauth_states).values(expire_at=EPOCH))


@pytest.fixture
def installs_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "slack_bot_token": None,
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": CLIENT_SECRET,
            "verkosto_public_url": SITE,
        }
    )


@pytest.fixture
def installing(
    installs_settings: Settings, services: Services, standin: WebApiStandIn
) -> Iterator[Installing]:
    client = web_client(installs_settings, backoff=0)
    app = build_app(
        installs_settings,
        services,
        client=client,
        background=InThisProcess(ImmediateExecutor()),
    )
    web = Client(wsgi_app(app, services.healthy))
    yield Installing(app, web, standin, services, installs_settings)
