"""What every listener needs: the services, who is acting, their language, work after the ack,
and the one place where errors become replies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.domain import Platform
from bot.errors import Unavailable
from bot.i18n import Translator
from bot.platform import SEND_FAILURES
from bot.results.people import Actor, Profile
from bot.results.workspaces import WorkspaceIdentity
from bot.services import Services
from bot.services.outbox import DrainReport
from bot.settings import Settings
from bot.use_cases import Caller, UseCaseRunner
from handlers.background import Background, Work
from handlers.slack.blocks import Reply
from handlers.slack.client import client_like, response_client, web_client
from handlers.slack.courier import slack_courier
from handlers.slack.markup import slack_markup
from handlers.slack.payloads import Sender
from handlers.slack.platform import SlackPlatform
from handlers.slack.reply_render import error_reply
from handlers.slack.tokens import WorkspaceClients, slack_installs
from handlers.web.calendar import calendar_url

log = logging.getLogger(__name__)

Answer = Callable[[Actor, Translator], Reply | None]


@dataclass(frozen=True)
class Serving:
    """The workspace a request (or the work after its ack) is for, and with installs the token
    Bolt authorised the request with, so that its calls need not look it up again."""

    workspace: WorkspaceIdentity
    token: str | None = None


# Set by the app's middleware, and carried to the work after the ack.
_serving: ContextVar[Serving | None] = ContextVar("slack_workspace", default=None)


def _workspace() -> WorkspaceIdentity | None:
    serving = _serving.get()
    return serving.workspace if serving else None


class NotInstalled(Exception):
    """The app has no token for the workspace a request or its work is for (removed since)."""


class Runtime:
    """Shared by the listeners of one app. `client` is the Web API client of the workspace the
    request is for (with one token, always the same), safe to share between threads;
    `background` runs what listeners leave for after the ack."""

    PLATFORM = Platform.SLACK

    def __init__(
        self, settings: Settings, services: Services, client: WebClient, background: Background
    ) -> None:
        self.settings = settings
        self.services = services
        # With installs, the clients of each workspace are made like `client`.
        self.installs = slack_installs(settings, services.db.engine, client)
        self._clients = WorkspaceClients(
            lambda token: client_like(client, token), settings.slack_bot_token, self.installs
        )
        # Sends without retrying (the outbox retries later), waiting as long as `client` does.
        courier_client = web_client(settings, retries=False, timeout=client.timeout)
        self.courier = slack_courier(settings, services, courier_client)
        self._background = background
        self.use_cases = UseCaseRunner(services, settings.verkosto_command, slack_markup)

    @property
    def client(self) -> WebClient:
        if not self._clients.per_workspace:
            return self._clients.client(None)
        serving = _serving.get()
        if serving is None:
            raise NotInstalled("no workspace")
        if serving.token:
            return self._clients.with_token(serving.token)
        workspace = serving.workspace
        found = self._clients.client(workspace.team_id, workspace.enterprise_id)
        if found is None:
            raise NotInstalled(workspace.team_id)
        return found

    @property
    def platform(self) -> SlackPlatform:
        return SlackPlatform(self.client, _workspace())

    def profiles(self, user_id: str) -> Profile | None:
        """A person's profile, as their workspace's Slack tells it."""
        return self.platform.read_profile(user_id)

    def after_ack(self, work: Work, *payload: Any) -> None:
        """Run `work(runtime, *payload)` after the ack, so that Slack gets its ack at once.

        `work` is a module-level function and the payload plain data, so that it can run in
        another process. (Bolt's lazy listeners would deep-copy the whole request context on the
        ack path instead.)
        """
        self._background.submit(self, in_workspace, _serving.get(), work, *payload)

    def send_queued(self, message_ids: tuple[int, ...]) -> DrainReport:
        """Send outbox messages a request just queued, so that they appear within seconds;
        whatever cannot go now stays queued for the worker."""
        if not message_ids:
            return DrainReport()
        try:
            return self.services.outbox.drain(self.courier.deliver, ids=message_ids)
        except Unavailable:
            log.warning(
                "the database is busy; the worker sends %d queued messages", len(message_ids)
            )
            return DrainReport()

    def calendar_url(self, token: str, event_id: int | None = None) -> str | None:
        """Where a network's feed (or one of its events) is served; None if it is not."""
        return calendar_url(self.settings.verkosto_public_url, token, event_id)

    def tell(self, user_id: str, reply: Reply) -> bool:
        """A direct message from the bot, sent now or not at all (a failure is logged)."""
        try:
            self.platform.message_person(user_id, reply)
        except SEND_FAILURES as failed:
            log.warning("direct message to %s failed: %s", user_id, failed)
            return False
        return True

    def actor(self, sender: Sender) -> Actor:
        """The acting person, as the core knows them."""
        return self.use_cases.identify(self.caller(sender), self.profiles)

    @staticmethod
    def caller(sender: Sender) -> Caller:
        """The acting person as the core knows a caller, in the workspace being served."""
        return sender.caller(_workspace())

    def answer(self, sender: Sender, response_url: str | None, produce: Answer) -> None:
        """Run a use case for the acting person and answer them privately, whatever happens:
        through `response_url`, or by direct message where there is none (the Home tab).

        Domain errors become their catalog message; anything unexpected is logged and the
        person is told that something went wrong and to try again.
        """
        outcome = self.use_cases.run(self.caller(sender), self.profiles, produce)
        reply = outcome.result if outcome.error is None else error_reply(outcome.t, outcome.error)
        if reply is None:
            return
        if response_url is None:
            self.tell(sender.user_id, reply)
            return
        response = response_client(response_url, like=self.client).send(
            **reply.as_message(),
            response_type="ephemeral",
            replace_original=reply.replace_original,
        )
        if response.status_code != 200:
            log.warning(
                "answer to %s refused: %s %s", sender.user_id, response.status_code, response.body
            )


def serving(team_id: str | None, enterprise_id: str | None, token: str | None = None) -> None:
    """Say which workspace the request being handled on this thread is for, and with installs
    the token it was authorised with."""
    _serving.set(Serving(WorkspaceIdentity(team_id or "", enterprise_id), token))


def in_workspace(rt: Runtime, served: Serving | None, work: Work, *payload: Any) -> None:
    """Work after the ack, for the workspace its request was for."""
    reset = _serving.set(served)
    try:
        work(rt, *payload)
    finally:
        _serving.reset(reset)
