"""The outbox's courier for Slack: the core's courier, rendering in Block Kit and sending
through the Web API with the token of the message's workspace."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.courier import Courier
from bot.outbox_composer import Composed, OutboxComposer
from bot.services import Services
from bot.services.outbox import OutboxItem, Sent, Undeliverable
from bot.settings import Settings
from handlers.slack.blocks import Reply
from handlers.slack.client import client_like
from handlers.slack.markup import slack_markup
from handlers.slack.outbox_render import outbox_reply
from handlers.slack.platform import SlackPlatform
from handlers.slack.tokens import WorkspaceClients, slack_installs

NOT_INSTALLED = "the app is not installed in that workspace (uninstalled, or its tokens revoked)"


class SlackCourier:
    """Pass its `deliver` to `OutboxService.drain`. Its clients should not retry: the outbox
    retries later. A message to a workspace the app was removed from fails at once, for good."""

    def __init__(self, settings: Settings, services: Services, clients: WorkspaceClients) -> None:
        self._services = services
        self.clients = clients
        self._composer = OutboxComposer(services, settings.verkosto_command, slack_markup)
        self._public_url = settings.verkosto_public_url

    def deliver(self, item: OutboxItem) -> Sent:
        client = self._client_of(item.workspace_id)
        if client is None:
            raise Undeliverable(NOT_INSTALLED)
        return Courier(self._composer, SlackPlatform(client), self._render).deliver(item)

    def _client_of(self, workspace_id: int) -> WebClient | None:
        if not self.clients.per_workspace:
            return self.clients.client(None)
        identity = self._services.workspaces.identity(workspace_id)
        if identity is None:
            return None
        return self.clients.client(identity.team_id, identity.enterprise_id)

    def _render(self, composed: Composed, invited: bool) -> Reply:
        return outbox_reply(composed, self._public_url, invited)


def slack_courier(settings: Settings, services: Services, client: WebClient) -> SlackCourier:
    """The courier, sending with `client`; where workspaces install the app, with clients like
    it carrying each workspace's token."""
    installs = slack_installs(settings, services.db.engine, client)
    if installs is None:
        return SlackCourier(settings, services, WorkspaceClients.single(client))
    clients = WorkspaceClients(lambda token: client_like(client, token), None, installs)
    return SlackCourier(settings, services, clients)
