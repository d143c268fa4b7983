"""Serving Teams: its path in `verkosto serve`'s web application."""

from __future__ import annotations

import logging

from bot.services import Services
from bot.settings import Settings
from handlers.after_response import AfterResponse, held_until_answered
from handlers.teams.app import MESSAGES_PATH, teams_route
from handlers.teams.auth import ActivityAuth
from handlers.teams.runtime import TeamsRuntime
from handlers.web.routes import Wsgi

log = logging.getLogger(__name__)


def teams_platform(
    settings: Settings, services: Services, background: AfterResponse
) -> dict[str, Wsgi]:
    """`POST /api/messages` for the app `TEAMS_CLIENT_ID`, checking every activity's token
    unless `TEAMS_ALLOW_UNAUTHENTICATED` says not to. The work after each answer goes to
    `background` once the answer has been sent."""
    assert settings.teams_client_id, "TEAMS_CLIENT_ID names the app"
    auth = None
    if not settings.teams_allow_unauthenticated:
        auth = ActivityAuth(settings.teams_client_id, settings.teams_keys_url)
    route = teams_route(TeamsRuntime(settings, services, background=background), auth)
    return {MESSAGES_PATH: held_until_answered(route, background)}
