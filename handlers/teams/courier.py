"""The outbox's courier for Teams: the core's courier, rendering Adaptive Cards and sending
through Bot Connector."""

from __future__ import annotations

from bot.commands import CHAT_COMMAND
from bot.courier import Courier
from bot.outbox_composer import Composed, OutboxComposer
from bot.services import Services
from handlers.teams.cards import Message
from handlers.teams.markup import teams_markup
from handlers.teams.outbox_cards import outbox_message
from handlers.teams.platform import TeamsPlatform

# How the command is typed in Teams, in help texts: to the bot, or after mentioning it.
TEAMS_COMMAND = CHAT_COMMAND


def teams_courier(
    services: Services, platform: TeamsPlatform, public_url: str | None
) -> Courier[Message]:
    """Pass its `deliver` to `OutboxService.drain`; `public_url` is where calendars are served."""

    def render(composed: Composed, invited: bool) -> Message:
        return outbox_message(composed, public_url)

    composer = OutboxComposer(services, TEAMS_COMMAND, teams_markup)
    return Courier(composer, platform, render)
