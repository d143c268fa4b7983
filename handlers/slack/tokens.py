"""Each Slack workspace's bot token, and a Web API client with it.

With one token (`SLACK_BOT_TOKEN`) every workspace is the one it belongs to. With installs
(OAuth v2: `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET`) each workspace that installed the app has
its own, kept by slack_sdk's installation store in the project's database; an Enterprise Grid
organisation's org-wide install serves each of its workspaces. Tokens that rotate are renewed
here before they run out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.results.people import Profile
from bot.results.workspaces import WorkspaceIdentity
from bot.services import Services
from bot.services.people import WorkspaceProfileLoader
from bot.settings import Settings
from handlers.slack.platform import SlackPlatform

log = logging.getLogger(__name__)

# How long an admin has between opening the install link and coming back from Slack.
STATE_SECONDS = 600
# A rotating token is renewed when it has less than this left.
ROTATE_MINUTES_BEFORE = 120

ClientFactory = Callable[[str | None], WebClient]
"""A Web API client with a token (the adapter's settings of retries and timeouts)."""


class SlackInstalls:
    """The app's installations and the states of installs under way, in the database."""

    def __init__(self, settings: Settings, engine: object, api: WebClient) -> None:
        assert settings.slack_client_id and settings.slack_client_secret
        self.installations = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id, engine=engine
        )
        self.states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
        # Rotation is asked of the same Web API as everything else (the stand-in in tests).
        self._rotator = TokenRotator(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            client=api,
        )

    def bot(self, team_id: str | None, enterprise_id: str | None) -> Bot | None:
        """The bot installed in a workspace, or its organisation's org-wide one; None when the
        app is not installed there (any more)."""
        store = self.installations
        found = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if found is None and enterprise_id:
            found = store.find_bot(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        if found is None or not found.bot_refresh_token:
            return found
        try:
            rotated = self._rotator.perform_bot_token_rotation(
                bot=found, minutes_before_expiration=ROTATE_MINUTES_BEFORE
            )
        except (SlackApiError, SlackTokenRotationError) as refused:
            log.warning("renewing the token of %s failed: %s", team_id or enterprise_id, refused)
            return found
        if rotated is None:
            return found
        store.save_bot(rotated)
        return rotated

    def forget(self, team_id: str | None, enterprise_id: str | None) -> None:
        """The app was removed from a workspace (or organisation): its tokens go at once."""
        self.installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)


def slack_installs(settings: Settings, engine: object, api: WebClient) -> SlackInstalls | None:
    """The installations, when workspaces install the app themselves; None with one token."""
    return SlackInstalls(settings, engine, api) if settings.slack_installs() else None


class WorkspaceClients:
    """A Web API client for each workspace, made once per token. Without `installs`, every
    workspace's is the one made with `token`."""

    def __init__(
        self, make_client: ClientFactory, token: str | None, installs: SlackInstalls | None
    ) -> None:
        self._make_client = make_client
        self._token = token
        self.installs = installs
        self._clients: dict[str | None, WebClient] = {}
        self._lock = threading.Lock()

    @classmethod
    def single(cls, client: WebClient) -> WorkspaceClients:
        """Every workspace served with `client` (one token)."""
        return cls(lambda _token: client, client.token, None)

    @property
    def per_workspace(self) -> bool:
        """Whether each workspace has its own token (installs)."""
        return self.installs is not None

    def client(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient | None:
        """The client for a workspace; None when the app is not installed there."""
        if self.installs is None:
            return self.with_token(self._token)
        bot = self.installs.bot(team_id, enterprise_id)
        return None if bot is None else self.with_token(bot.bot_token)

    def profile(self, workspace: WorkspaceIdentity, user_id: str) -> Profile | None:
        """A person's profile, read with their workspace's token (the worker's refresh)."""
        client = self.client(workspace.team_id, workspace.enterprise_id)
        if client is None:
            return None
        return SlackPlatform(client, workspace).read_profile(user_id)

    def with_token(self, token: str | None) -> WebClient:
        """The client that calls with `token`, made the first time it is asked for."""
        with self._lock:
            client = self._clients.get(token)
            if client is None:
                client = self._clients[token] = self._make_client(token)
            return client


def profile_reader(clients: WorkspaceClients, services: Services) -> WorkspaceProfileLoader:
    """The worker's profile reader: each person read with their own workspace's token."""

    def read(team_id: str, user_id: str) -> Profile | None:
        workspace = services.workspaces.identity_of_team(team_id) or WorkspaceIdentity(team_id)
        return clients.profile(workspace, user_id)

    return read
