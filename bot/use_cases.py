"""The one way a request from any platform is carried out: identify who acts, run the use case
in a transaction, tried again when the database turns it away, and turn what went wrong into
something to tell the person."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.domain import Platform
from bot.errors import Unavailable, VerkostoError
from bot.i18n import Markup, Translator, neutral
from bot.results.people import Actor, Recipient
from bot.services import Services
from bot.services.people import ProfileLoader

log = logging.getLogger(__name__)

# How often a request's work is tried when the database turns it away (a lock, a conflict).
DATABASE_ATTEMPTS = 3
Result = TypeVar("Result")


@dataclass(frozen=True)
class Caller:
    """Who acts, as their platform names them: the workspace (a Slack team, a Teams tenant)
    and the person in it."""

    workspace_id: str
    person_id: str
    platform: Platform
    workspace_name: str | None = None
    # The person's own organisation when the request shows it is not the workspace's: kept
    # for someone met for the first time whose profile cannot be read just then.
    organisation: str | None = None


@dataclass(frozen=True)
class Outcome(Generic[Result]):
    """What a use case came to, with the words to tell it in: the person's, or the default
    language's when they could not be identified. `error` is set when it failed: a domain
    error, or a plain `VerkostoError` for anything unexpected (which is logged)."""

    t: Translator
    result: Result | None = None
    error: VerkostoError | None = None


class UseCaseRunner:
    """Runs use cases for the people a platform adapter hands over."""

    def __init__(self, services: Services, command: str, markup: Markup = neutral) -> None:
        self.services = services
        self._command = command
        self._markup = markup

    def translator(self, language: str, timezone: str | None = None) -> Translator:
        zone = timezone or self.services.defaults.timezone
        return Translator(language, zone, command=self._command, markup=self._markup)

    def translator_for(self, person: Actor | Recipient) -> Translator:
        """Words and dates for this person: their language, their time zone."""
        return self.translator(person.language, person.timezone)

    def attempt(self, work: Callable[[], Result]) -> Result:
        """Run `work`, and again when the database turned it away before it had written
        anything (a second vote could take the first one back)."""
        attempts = 1
        while True:
            committed = self.services.db.commits()
            try:
                return work()
            except Unavailable as error:
                wrote = self.services.db.commits() != committed
                if not error.retry_safe or wrote or attempts >= DATABASE_ATTEMPTS:
                    raise
                log.info("database busy (attempt %d); trying again", attempts)
                attempts += 1

    def identify(self, caller: Caller, profiles: ProfileLoader) -> Actor:
        """The acting person; met for the first time, their profile is read with `profiles`."""
        return self.services.people.identify(
            caller.workspace_id,
            caller.person_id,
            profiles,
            team_name=caller.workspace_name,
            platform=caller.platform,
            organisation=caller.organisation,
        )

    def run(
        self,
        caller: Caller,
        profiles: ProfileLoader,
        use_case: Callable[[Actor, Translator], Result],
    ) -> Outcome[Result]:
        """Identify the caller and run `use_case(actor, t)` for them; never raises."""
        t = self.translator(self.services.defaults.language)
        try:
            actor = self.attempt(lambda: self.identify(caller, profiles))
            t = self.translator_for(actor)
            return Outcome(t, result=self.attempt(lambda: use_case(actor, t)))
        except VerkostoError as error:
            return Outcome(t, error=error)
        except Exception:
            log.exception("request from %s in %s failed", caller.person_id, caller.workspace_id)
            return Outcome(t, error=VerkostoError())
