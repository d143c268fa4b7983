"""The outbox's courier for Slack: the core's courier, rendering in Block Kit and sending
through the Web API."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.courier import Courier
from bot.outbox_composer import Composed, OutboxComposer
from bot.services import Services
from bot.settings import Settings
from handlers.slack.blocks import Reply
from handlers.slack.markup import slack_markup
from handlers.slack.outbox_render import outbox_reply
from handlers.slack.platform import SlackPlatform


def slack_courier(settings: Settings, services: Services, client: WebClient) -> Courier[Reply]:
    """Pass its `deliver` to `OutboxService.drain`. `client` should not retry: the outbox
    retries later."""

    def render(composed: Composed, invited: bool) -> Reply:
        return outbox_reply(composed, settings.verkosto_public_url, invited)

    composer = OutboxComposer(services, settings.verkosto_command, slack_markup)
    return Courier(composer, SlackPlatform(client), render)
