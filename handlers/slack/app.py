"""The Bolt app: listeners registered by kind, each module with its own `register`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.domain import Platform
from bot.services import Services
from bot.settings import Settings
from handlers.background import Background, InThisProcess
from handlers.slack import actions, commands, events, home, shortcuts, views
from handlers.slack.client import web_client
from handlers.slack.payloads import with_form_body, without_control_characters
from handlers.slack.runtime import Runtime, serving
from handlers.slack.tokens import STATE_SECONDS, SlackInstalls

log = logging.getLogger(__name__)

BACKGROUND_THREADS = 8
REDIRECT_PATH = "/slack/oauth_redirect"


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
    background = background or InThisProcess(
        ThreadPoolExecutor(BACKGROUND_THREADS, "verkosto-after-ack")
    )
    runtime = Runtime(settings, services, client, background)

    def slack_app(verify_token: bool) -> SlackApp:
        if runtime.installs is not None:
            return installing_app(settings, services, runtime.installs, client)
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

    @app.middleware
    def storable_text(req: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
        # After the signature is checked (Bolt's own middleware), before any listener reads it.
        without_control_characters(req.body)
        return next_()

    @app.middleware
    def for_its_workspace(req: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
        # After Bolt found the workspace's token: the listeners' clients use the same one. The
        # listener runs on this thread once every middleware has returned, so it stays set
        # until the thread's next request sets its own.
        team_id, enterprise_id = req.context.team_id, req.context.enterprise_id
        serving(team_id, enterprise_id, req.context.bot_token if runtime.installs else None)
        if team_id and enterprise_id:
            services.workspaces.note_organisation(team_id, enterprise_id)
        return next_()

    for listeners in (commands, actions, views, events, shortcuts, home):
        listeners.register(app, runtime)
    return app


def installing_app(
    settings: Settings, services: Services, installs: SlackInstalls, client: WebClient
) -> SlackApp:
    """The app that workspaces install themselves (OAuth v2): `SLACK_INSTALL_PATH` sends an
    admin to Slack with the scopes and a state, `/slack/oauth_redirect` exchanges Slack's code
    for the workspace's token (`oauth.v2.access`) and stores it; each request is then answered
    with its own workspace's token, renewed when it rotates."""
    assert settings.slack_client_id and settings.slack_client_secret

    def installed(args: SuccessArgs) -> BoltResponse:
        done = args.installation
        services.workspaces.installed(
            done.team_id or done.enterprise_id or "",
            done.enterprise_id,
            done.team_name or done.enterprise_name,
            Platform.SLACK,
        )
        return args.default.success(args)

    def failed(args: FailureArgs) -> BoltResponse:
        log.warning("a Slack install failed: %s", args.reason)
        return args.default.failure(args)

    public_url = settings.verkosto_public_url
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.slack_bot_scopes(),
        user_scopes=[],
        redirect_uri=f"{public_url}{REDIRECT_PATH}" if public_url else None,
        install_path=settings.slack_install_path,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=installed, failure=failed),
        installation_store=installs.installations,
        installation_store_bot_only=True,
        state_store=installs.states,
        state_expiration_seconds=STATE_SECONDS,
    )
    return SlackApp(
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        oauth_settings=oauth,
        installation_store_bot_only=True,
        # Bolt's own would renew tokens through slack.com, whatever SLACK_API_URL says.
        authorize=InstallationStoreAuthorize(
            logger=log,
            installation_store=installs.installations,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            bot_only=True,
            # A workspace's token is checked with Slack once, not on every request.
            cache_enabled=True,
            client=client,
        ),
    )
