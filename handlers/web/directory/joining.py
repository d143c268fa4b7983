"""How to join a published network: the command to type, and the links that open the bot in
Slack or Teams (documented deep links; Teams' needs the app's id, Slack's `SLACK_APP_ID`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bot.commands import CHAT_COMMAND
from bot.domain import Platform
from bot.results.directory import PublicNetwork
from bot.settings import Settings


@dataclass(frozen=True)
class HowToJoin:
    """The command to type to the bot, and where a link opens it (and, in Teams, adds it)."""

    platform: Platform
    command: str
    open_url: str | None = None
    install_url: str | None = None


def how_to_join(network: PublicNetwork, settings: Settings) -> HowToJoin:
    """The way in to `network`: in its Slack workspace or its Teams tenant."""
    if network.platform is Platform.TEAMS:
        command = f"{CHAT_COMMAND} join {network.slug}"
        app = settings.teams_client_id
        if not app:
            return HowToJoin(network.platform, command)
        tenant = urlencode({"tenantId": network.workspace})
        return HowToJoin(
            network.platform,
            command,
            open_url=f"https://teams.microsoft.com/l/entity/{app}/conversations?{tenant}",
            install_url=f"https://teams.microsoft.com/l/app/{app}?{tenant}",
        )
    command = f"{settings.verkosto_command} join {network.slug}"
    if not settings.slack_app_id:
        return HowToJoin(network.platform, command)
    query = urlencode({"app": settings.slack_app_id, "team": network.workspace})
    return HowToJoin(network.platform, command, open_url=f"https://slack.com/app_redirect?{query}")
