"""The Bolt app: listeners registered by kind, each module with its own `register`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from bot.services import Services
from bot.settings import Settings
from handlers.background import Background, InThisProcess
from handlers.slack import actions, commands, events, home, shortcuts, views
from handlers.slack.client import web_client
from handlers.slack.payloads import with_form_body, without_control_characters
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)

BACKGROUND_THREADS = 8


class SlackApp(App):
    """Bolt's App, reading every slash command's form whole (see `with_form_body`)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        return super().dispatch(with_form_body(req))


def build_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    background: Background | None = None,
    ask_who_the_bot_is: bool = False,
) -> App:
    """The Slack app over `services`.

    Acks return as soon as a listener acks (`process_before_response`); what takes longer runs
    after the ack on `background` (a thread pool of this process unless one is given). With
    `ask_who_the_bot_is`, Slack's `auth.test` is asked now instead of on the first request; if
    Slack cannot answer now, the first request asks again.
    """
    client = client or web_client(settings)

    def slack_app(verify_token: bool) -> SlackApp:
        return SlackApp(
            client=client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,
            token_verification_enabled=verify_token,
        )

    try:
        app = slack_app(verify_token=ask_who_the_bot_is)
    except (BoltError, OSError) as error:
        log.warning("Slack did not say who the bot is (%s); the first request asks again", error)
        app = slack_app(verify_token=False)
    background = background or InThisProcess(
        ThreadPoolExecutor(BACKGROUND_THREADS, "verkosto-after-ack")
    )
    runtime = Runtime(settings, services, client, background)

    @app.middleware
    def storable_text(req: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
        # After the signature is checked (Bolt's own middleware), before any listener reads it.
        without_control_characters(req.body)
        return next_()

    for listeners in (commands, actions, views, events, shortcuts, home):
        listeners.register(app, runtime)
    return app
