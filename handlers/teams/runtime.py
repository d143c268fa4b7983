"""What every Teams handler needs: the services, Bot Connector, the platform port, the
courier, who is acting and in which language, work after the response, and the one place where
outcomes become messages."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from bot.command_runner import CommandRunner
from bot.commands import PersonMention, Token
from bot.domain import LANGUAGES, Platform
from bot.errors import NotFound, Unavailable
from bot.i18n import Translator
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.addresses import Address
from bot.services.outbox import DrainReport, RetryLater, Undeliverable
from bot.settings import Settings
from bot.use_cases import UseCaseRunner
from handlers.background import Background, InThisProcess, Work
from handlers.teams.activity import Activity
from handlers.teams.answers import TeamsAnswers
from handlers.teams.cards import Message, plain, wire
from handlers.teams.connector import TIMEOUT_SECONDS, AppTokens, BotConnector
from handlers.teams.courier import TEAMS_COMMAND, teams_courier
from handlers.teams.limits import RateLimits
from handlers.teams.markup import teams_markup
from handlers.teams.platform import TeamsPlatform
from handlers.teams.replies import error_message

log = logging.getLogger(__name__)

WORK_THREADS = 8
# How long, and how many, addresses and profiles a process remembers having stored.
REMEMBERED_SECONDS = 600
REMEMBERED = 10_000
# An answer Teams asked to slow down for is tried this many times, waiting at most this long.
ANSWER_ATTEMPTS = 3
ANSWER_WAIT_SECONDS = 5.0
Produce = Callable[[Actor, Translator], Message | None]


def language_of(locale: str | None) -> str | None:
    """The catalog language of a Teams locale (`fi-FI` → `fi`), if Verkosto speaks it."""
    language = (locale or "").split("-")[0].casefold()
    return language if language in LANGUAGES else None


def profile_of(
    activity: Activity, admins: frozenset[str] = frozenset()
) -> Callable[[str], Profile]:
    """The sender's profile as the activity tells it: name, time zone and the app's language;
    an admin if `TEAMS_ADMINS` names them."""
    profile = Profile(
        display_name=activity.person_name or activity.person_id,
        timezone=activity.timezone,
        is_workspace_admin=activity.person_id.lower() in admins,
        language=language_of(activity.locale),
    )
    return lambda person_id: profile


class TeamsRuntime:
    """Shared by the handlers of one Teams app. `background` runs the work that follows the
    HTTP answer (this process's threads unless one is given; `verkosto serve`'s child process);
    `http`, `sleep` and `monotonic` (the rate limits' clock) are for tests."""

    PLATFORM = Platform.TEAMS

    def __init__(
        self,
        settings: Settings,
        services: Services,
        *,
        http: httpx.Client | None = None,
        background: Background | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        assert settings.teams_client_id, "TEAMS_CLIENT_ID names the app"
        self.settings = settings
        self.services = services
        http = http or httpx.Client(timeout=TIMEOUT_SECONDS)
        secret = None if settings.teams_allow_unauthenticated else settings.teams_client_secret
        tokens = AppTokens(http, settings.teams_token_address(), settings.teams_client_id, secret)
        self.connector = BotConnector(tokens, http, RateLimits(monotonic), sleep)
        self._sleep = sleep
        self.bot_id = f"28:{settings.teams_client_id}"
        self.platform = TeamsPlatform(
            self.connector,
            services.addresses,
            self.bot_id,
            services.handed_files,
            settings.verkosto_public_url,
        )
        self.courier = teams_courier(services, self.platform, settings.verkosto_public_url)
        self.use_cases = UseCaseRunner(services, TEAMS_COMMAND, teams_markup)
        self._background = background or InThisProcess(
            ThreadPoolExecutor(WORK_THREADS, "verkosto-teams")
        )
        # What this process stored of each address and profile lately, so that it writes only
        # news; forgotten after a while, so that another process's change shows here too.
        self._kept: dict[str, tuple[Address, float]] = {}
        self._profiles: dict[str, tuple[Profile, float]] = {}
        self._monotonic = monotonic

    def after_response(self, work: Work, *payload: Any) -> None:
        """Run `work(runtime, *payload)` after the HTTP answer; a failure is logged. `work` is
        a module-level function and the payload plain data, so that it can run in another
        process."""
        self._background.submit(self, work, *payload)

    def translator_of(self, activity: Activity) -> Translator:
        """Words for the sender before the bot has looked them up: the language of their Teams,
        else the deployment's."""
        language = language_of(activity.locale) or self.services.defaults.language
        return self.use_cases.translator(language)

    def profile(self, activity: Activity) -> Callable[[str], Profile]:
        """The sender's profile, as the core reads it when it meets them."""
        return profile_of(activity, self.settings.teams_admin_ids())

    def remember(self, activity: Activity) -> None:
        """Remember where the sender, and the conversation it came from, are reached, and the
        sender's name and time zone as Teams tells them now."""
        if not activity.tenant_id or not activity.service_url:
            return
        self._keep_profile(activity)
        if activity.person_id and activity.account_id:
            chat = activity.conversation_id if activity.personal else None
            self._keep(
                activity.person_id,
                Address(activity.tenant_id, activity.service_url, chat, activity.account_id),
            )
        if activity.conversation_id and not activity.personal:
            conversation = conversation_of(activity.conversation_id)
            self._keep(
                conversation, Address(activity.tenant_id, activity.service_url, conversation)
            )

    def _keep_profile(self, activity: Activity) -> None:
        if not activity.person_id or not activity.person_name:
            return
        profile = self.profile(activity)(activity.person_id)
        key = _profile_key(activity.tenant_id, activity.person_id)
        if self._fresh(self._profiles, key) == profile:
            return
        try:
            self.services.people.profile_changed(activity.tenant_id, activity.person_id, profile)
        except Unavailable:
            return
        self._remember(self._profiles, key, profile)

    def _keep(self, subject: str, address: Address) -> None:
        known = self._fresh(self._kept, subject)
        if known is not None and _covers(known, address):
            return
        try:
            self.services.addresses.keep(subject, address, Platform.TEAMS)
        except Unavailable:
            log.warning("the database is busy; the address of %s is kept next time", subject)
            return
        self._remember(self._kept, subject, address)

    def _fresh(self, cache: dict[str, tuple[Any, float]], key: str) -> Any:
        kept = cache.get(key)
        if kept is None or self._monotonic() - kept[1] > REMEMBERED_SECONDS:
            return None
        return kept[0]

    def _remember(self, cache: dict[str, tuple[Any, float]], key: str, value: Any) -> None:
        if len(cache) > REMEMBERED:
            cache.clear()
        cache[key] = (value, self._monotonic())

    def forget(self, tenant_id: str, person_id: str) -> None:
        """Let go of what this process remembers of someone who asked to be forgotten."""
        self._kept.pop(person_id, None)
        self._profiles.pop(_profile_key(tenant_id, person_id), None)
        self.platform.told.pop(person_id, None)

    def runner(
        self, activity: Activity, actor: Actor, t: Translator, later: bool = False
    ) -> CommandRunner[Message]:
        """The core's command runner for one person's request in Teams; `later` when Teams is
        waiting for the answer, so that what the request queued is sent after it."""
        channel = None if activity.personal else conversation_of(activity.conversation_id)
        return CommandRunner(
            self.services,
            self.platform,
            TeamsAnswers(
                self.settings.verkosto_public_url,
                channel,
                self.settings.verkosto_web_directory,
                self.settings.directory_url(),
            ),
            self.send_later if later else self.send_queued,
            self.use_cases.translator_for,
            actor,
            t,
            channel,
        )

    def named_people(self, activity: Activity, tokens: list[Token]) -> list[Token]:
        """The command's mentions of people as their Entra object ids (Teams mentions name a
        person by their id in the bot's chats), each person's address kept on the way. Raises
        `NotFound` for a mention Teams cannot explain just now, rather than act on a stranger."""
        named: list[Token] = []
        for token in tokens:
            if isinstance(token, PersonMention) and token.user_id.startswith("29:"):
                token = self._entra_id(activity, token)
            named.append(token)
        return named

    def _entra_id(self, activity: Activity, mention: PersonMention) -> PersonMention:
        conversation = conversation_of(activity.conversation_id)
        try:
            member = self.connector.member(
                activity.service_url, activity.tenant_id, conversation, mention.user_id
            )
        except (RetryLater, Undeliverable) as failed:
            log.warning("could not read the member %s: %s", mention.user_id, failed)
            raise NotFound("error.person_not_found") from failed
        entra_id = member.get("aadObjectId")
        if not isinstance(entra_id, str) or not entra_id:
            raise NotFound("error.person_not_found")
        address = Address(activity.tenant_id, activity.service_url, None, mention.user_id)
        self._keep(entra_id, address)
        name = member.get("name")
        if isinstance(name, str) and name:
            if len(self.platform.told) > REMEMBERED:
                self.platform.told.clear()
            self.platform.told[entra_id] = Profile(display_name=name[:200])
        return PersonMention(entra_id)

    def send_later(self, message_ids: tuple[int, ...]) -> None:
        """Send what a request queued once Teams has its answer."""
        if message_ids:
            self.after_response(send_queued, message_ids)

    def send_queued(self, message_ids: tuple[int, ...]) -> DrainReport:
        """Send the outbox messages a request just queued; what cannot go now waits for the
        worker."""
        if not message_ids:
            return DrainReport()
        try:
            return self.services.outbox.drain(self.courier.deliver, ids=message_ids)
        except Unavailable:
            log.warning("the database is busy; the worker sends %d messages", len(message_ids))
            return DrainReport()

    def outcome_message(self, activity: Activity, produce: Produce) -> Message | None:
        """Run a use case for the sender; the answer, or the error in their words."""
        outcome = self.use_cases.run(activity.caller, self.profile(activity), produce)
        if outcome.error is not None:
            return error_message(outcome.t, outcome.error)
        return outcome.result

    def answer(self, activity: Activity, message: Message) -> None:
        """An answer for the sender alone, in their chat with the bot (where they wrote, when
        they wrote there). When Teams says to slow down or fails for a moment, it is tried
        again shortly; not when the answer may have arrived."""
        for attempt in range(1, ANSWER_ATTEMPTS + 1):
            try:
                self._send_answer(activity, message)
                return
            except RetryLater as later:
                if later.maybe_sent or attempt == ANSWER_ATTEMPTS:
                    log.warning("answer to %s failed: %s", activity.person_id, later)
                    return
                self._sleep(min(later.after or 1.0, ANSWER_WAIT_SECONDS))
            except Undeliverable as refused:
                log.warning("answer to %s refused: %s", activity.person_id, refused)
                if not activity.personal:
                    self._say_in_channel_why(activity)
                return

    def _say_in_channel_why(self, activity: Activity) -> None:
        """Someone who mentioned the bot in a channel, whose own chat it cannot open (the app
        is not installed for them), is told how, in the channel's thread: the answer itself
        may be theirs alone."""
        note = plain(self.translator_of(activity), "teams.chat_closed")
        try:
            self.connector.send(
                activity.service_url, activity.tenant_id, activity.conversation_id, wire(note)
            )
        except (RetryLater, Undeliverable) as failed:
            log.warning("could not tell %s why either: %s", activity.person_id, failed)

    def _send_answer(self, activity: Activity, message: Message) -> None:
        if not activity.personal:
            self.platform.message_person(activity.person_id, message)
            return
        self.connector.send(
            activity.service_url, activity.tenant_id, activity.conversation_id, wire(message)
        )


def send_queued(rt: TeamsRuntime, message_ids: tuple[int, ...]) -> None:
    """Work after the answer: send what a request queued."""
    rt.send_queued(message_ids)


def answer(rt: TeamsRuntime, activity: Activity, message: Message) -> None:
    """Work after the answer: answer the sender with `message`."""
    rt.answer(activity, message)


def _profile_key(tenant_id: str, person_id: str) -> str:
    """By tenant too: someone of another tenant in a shared channel is a person in each."""
    return f"{tenant_id}/{person_id}"


def conversation_of(conversation_id: str) -> str:
    """A channel conversation without the thread a message came from."""
    return conversation_id.split(";messageid=")[0]


def _covers(known: Address, new: Address) -> bool:
    return (
        known.service_url == new.service_url
        and (new.conversation_id is None or known.conversation_id == new.conversation_id)
        and (new.account_id is None or known.account_id == new.account_id)
    )
