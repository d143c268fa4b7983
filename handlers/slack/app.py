"""The Bolt app: listeners registered by kind, each module with its own `register`."""

from __future__ import annotations

from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient

from bot.services import Services
from bot.settings import Settings
from handlers.slack import actions, commands, events, views
from handlers.slack.client import web_client
from handlers.slack.runtime import Runtime


def build_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """The Slack app over `services`.

    Acks return as soon as the listener acks (`process_before_response`); the work itself runs
    in lazy listeners on `listener_executor` (a thread pool unless one is given).
    """
    app = App(
        client=client or web_client(settings),
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
        listener_executor=listener_executor,
    )
    runtime = Runtime(settings, services)
    for listeners in (commands, actions, views, events):
        listeners.register(app, runtime)
    return app
