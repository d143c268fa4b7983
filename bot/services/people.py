"""People: who is acting, and their own settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, is_time_zone
from bot.domain import LANGUAGES, DigestFrequency, Platform
from bot.errors import InvalidInput, NotFound
from bot.results.people import Actor, Profile, Recipient
from bot.results.refs import PersonRef
from storage.database import Database
from storage.models import Person

# How stale "last seen" may get: it is written when the person acts, at most this often.
SEEN_EVERY = timedelta(hours=1)
# How old the profile (name, time zone, admin flag) of someone using the bot may get before the
# worker reads it again; a change the platform announces is taken at once.
PROFILE_MAX_AGE = timedelta(days=1)

ProfileLoader = Callable[[str], Profile | None]
"""Asks the platform about a person by their user id; None when it cannot say just now."""

WorkspaceProfileLoader = Callable[[str, str], Profile | None]
"""Asks the platform about a person of a workspace: (team id, user id) as for `ProfileLoader`."""


@dataclass(frozen=True)
class ProfilesRead:
    """What one round of `refresh_profiles` did: how many profiles it read, and the people
    (team id, user id) the platform says are gone (deactivated, or not to be found)."""

    read: int
    gone: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Defaults:
    """What a person gets until they choose otherwise."""

    language: str
    timezone: str


class PeopleService:
    def __init__(self, db: Database, clock: Clock, defaults: Defaults) -> None:
        self._db = db
        self._clock = clock
        self.defaults = defaults

    def identify(
        self,
        team_id: str,
        user_id: str,
        load_profile: ProfileLoader,
        team_name: str | None = None,
        platform: Platform = Platform.SLACK,
        organisation: str | None = None,
    ) -> Actor:
        """The acting person; their workspace and profile are stored the first time, and when
        they were last seen at most every `SEEN_EVERY` (who was away gets a digest; whose
        profile is a day old is read again by the worker, `refresh_profiles`). `organisation`:
        their own, if the request shows it is another one, for when no profile can be read."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            person = store.people.by_team_and_user(team_id, user_id)
        if person is None:
            profile = load_profile(user_id)
            return self._first_meeting(team_id, user_id, profile, team_name, platform, organisation)
        if person.last_seen_at is None or now - person.last_seen_at >= SEEN_EVERY:
            with self._db.transaction() as store:
                store.people.seen(person.id, now)
        return self._actor(person, team_id)

    def profile_changed(self, team_id: str, user_id: str, profile: Profile) -> bool:
        """The platform says a person's profile changed: take it at once (an admin flag taken
        away is gone now), if the bot knows them; it keeps nobody it has not met. False if
        it does not know them, or knows a newer profile."""
        now = self._clock.now()
        with self._db.transaction() as store:
            person = store.people.by_team_and_user(team_id, user_id)
            if person is None:
                return False
            values = self._profile(profile, now)
            return store.people.take_profile(person.id, values, profile.version)

    def refresh_profiles(
        self, loaders: Mapping[Platform, WorkspaceProfileLoader], limit: int
    ) -> ProfilesRead:
        """Read again the day-old profiles of up to `limit` people who used the bot in the last
        day, oldest first, on the platforms that have a loader. It stops at the first read that
        fails (the platform is down, or says to slow down): what is stored holds until a read
        succeeds. A read is stored only if the profile is still due, so that a change announced
        meanwhile wins over it."""
        now = self._clock.now()
        due_before = now - PROFILE_MAX_AGE
        with self._db.snapshot() as store:
            due = store.people.profiles_due(due_before, limit, set(loaders))
        read = 0
        gone: list[tuple[str, str]] = []
        for person_id, team_id, user_id, platform in due:
            try:
                profile = loaders[platform](team_id, user_id)
            except NotFound:
                gone.append((team_id, user_id))
                profile = None
                values: dict[str, object] = {"profile_checked_at": now}
            else:
                if profile is None:
                    break
                values = self._profile(profile, now)
            read += 1
            version = profile.version if profile else None
            with self._db.transaction() as store:
                store.people.take_profile(person_id, values, version, due_before)
        return ProfilesRead(read, tuple(gone))

    def ensure(self, actor: Actor, user_id: str, load_profile: ProfileLoader) -> PersonRef:
        """Someone the actor names (say, in `role`), stored if the bot has not met them yet."""
        with self._db.snapshot() as store:
            person = store.people.by_user(actor.workspace_id, user_id)
            if person is not None:
                return PersonRef(person.user_id, person.display_name)
        profile = load_profile(user_id)
        with self._db.transaction() as store:
            person = store.people.ensure(
                actor.workspace_id, user_id, self._new_person(user_id, profile, None)
            )
            return PersonRef(person.user_id, person.display_name)

    def _first_meeting(
        self,
        team_id: str,
        user_id: str,
        profile: Profile | None,
        team_name: str | None,
        platform: Platform,
        organisation: str | None,
    ) -> Actor:
        now = self._clock.now()
        with self._db.transaction() as store:
            workspace = store.workspaces.ensure(team_id, team_name, now, platform)
            values = {**self._new_person(user_id, profile, organisation), "last_seen_at": now}
            person = store.people.ensure(workspace.id, user_id, values)
            return self._actor(person, team_id)

    def set_language(self, actor: Actor, language: str) -> Actor:
        if language not in LANGUAGES:
            raise InvalidInput("error.unknown_language", value=language)
        with self._db.transaction() as store:
            person = store.people.by_user(actor.workspace_id, actor.user_id)
            assert person is not None, "an identified actor is stored"
            person.language = language
            person.updated_at = self._clock.now()
            return self._actor(person, actor.team_id)

    def set_reminders(self, actor: Actor, enabled: bool) -> None:
        """Turn event reminders on or off for the actor."""
        with self._db.transaction() as store:
            person = store.people.by_user(actor.workspace_id, actor.user_id)
            assert person is not None, "an identified actor is stored"
            person.reminders_enabled = enabled
            person.updated_at = self._clock.now()

    def set_digest_frequency(self, actor: Actor, frequency: DigestFrequency) -> None:
        """How often the actor gets a digest of what they missed while away."""
        with self._db.transaction() as store:
            person = store.people.by_user(actor.workspace_id, actor.user_id)
            assert person is not None, "an identified actor is stored"
            person.digest_frequency = frequency
            person.updated_at = self._clock.now()

    def digest_frequency(self, actor: Actor) -> DigestFrequency:
        with self._db.snapshot() as store:
            person = store.people.by_user(actor.workspace_id, actor.user_id)
            return person.digest_frequency if person else DigestFrequency.WEEKLY

    def reminders_enabled(self, actor: Actor) -> bool:
        with self._db.snapshot() as store:
            person = store.people.by_user(actor.workspace_id, actor.user_id)
            return person is None or person.reminders_enabled

    def recipient(self, workspace_id: int, user_id: str) -> Recipient:
        """Someone to write to on the bot's own account, in their language and time zone."""
        with self._db.snapshot() as store:
            person = store.people.by_user(workspace_id, user_id)
            if person is None:
                return Recipient(user_id, user_id, self.defaults.language, self.defaults.timezone)
            return Recipient(
                user_id=person.user_id,
                display_name=person.display_name,
                language=person.language or self.defaults.language,
                timezone=person.timezone or self.defaults.timezone,
            )

    def _new_person(
        self, user_id: str, profile: Profile | None, organisation: str | None
    ) -> dict[str, object]:
        """A person's first values; with no profile (the platform could not say), their user
        id stands for their name, and the request's word for their organisation, until the
        worker reads their profile."""
        now = self._clock.now()
        told = (
            self._profile(profile, now)
            if profile
            else {"display_name": user_id, "organisation_id": organisation}
        )
        language = profile.language if profile and profile.language in LANGUAGES else None
        return {
            "timezone": None,
            "is_workspace_admin": False,
            **told,
            "language": language,
            "created_at": now,
            "updated_at": now,
        }

    @staticmethod
    def _profile(profile: Profile, now: datetime) -> dict[str, object]:
        """What a profile sets; a time zone not told (or not one) leaves the stored one."""
        values: dict[str, object] = {
            "display_name": profile.display_name[:200],
            # Someone from another organisation is no admin of this workspace.
            "is_workspace_admin": profile.is_workspace_admin and profile.organisation is None,
            "profile_checked_at": now,
            "updated_at": now,
        }
        if profile.timezone and is_time_zone(profile.timezone):
            values["timezone"] = profile.timezone
        if profile.version is not None:
            values["profile_version"] = profile.version
        if profile.judged_organisation:
            values["organisation_id"] = (profile.organisation or "")[:32] or None
        return values

    def _actor(self, person: Person, team_id: str) -> Actor:
        return Actor(
            workspace_id=person.workspace_id,
            team_id=team_id,
            person_id=person.id,
            user_id=person.user_id,
            display_name=person.display_name,
            language=person.language or self.defaults.language,
            timezone=person.timezone or self.defaults.timezone,
            is_workspace_admin=person.is_workspace_admin,
        )
