"""A person's own data: what is stored about them, a copy of all of it, and forgetting them;
and the retention rule that lets old records go.

Forgetting removes the person's row and, through the foreign keys, their memberships, answers,
"+1"s, attributable votes and the record of what was suggested to them. Their anonymous ballots
stay in the counts, with a voter key that no longer leads to anyone. Events and signals they
created stay for the networks, without an author ("former member"); the audit log keeps its
entries with the person left out.
"""

from __future__ import annotations

import secrets
from collections.abc import Sized
from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from bot.domain import MembershipStatus, Role
from bot.errors import NotFound
from bot.results.people import Actor
from bot.results.privacy import ForgetPreview, Forgotten, PersonalExport, Pruned, StoredAboutYou
from bot.results.refs import NetworkRef
from bot.services.mapping import network_ref
from bot.services.polls import PollService
from storage.database import Database
from storage.models import Person
from storage.store import Store


class PrivacyService:
    def __init__(self, db: Database, clock: Clock, polls: PollService, retention_days: int) -> None:
        self._db = db
        self._clock = clock
        self._polls = polls
        self._retention_days = retention_days

    def stored(self, actor: Actor) -> StoredAboutYou:
        """How much is kept about the actor."""
        with self._db.snapshot() as store:
            return self._stored(store, actor.person_id)

    def export(self, actor: Actor) -> PersonalExport:
        """Everything stored about the actor, and nothing about anyone else."""
        with self._db.snapshot() as store:
            person = _person(store, actor)
            data = store.personal_data
            memberships = data.memberships(person.id)
            rsvps = data.rsvps(person.id)
            signals = data.signals(person.id)
            ballots = data.attributable_ballots(person.id)
            return PersonalExport(
                data={
                    "profile": {
                        "user_id": person.user_id,
                        "display_name": person.display_name,
                        "workspace_admin": person.is_workspace_admin,
                        "profile_read": _when(person.profile_checked_at),
                        "profile_changed_in_slack": _when(_from_unix(person.profile_version)),
                        "first_seen": _when(person.created_at),
                        "last_seen": _when(person.last_seen_at),
                        "installed_the_slack_app": [
                            _when(when) for when in data.installations(person)
                        ],
                    },
                    "settings": {
                        "language": person.language,
                        "timezone": person.timezone,
                        "reminders": person.reminders_enabled,
                        "personal_digest": person.digest_frequency.value,
                    },
                    "memberships": [
                        {
                            "network": m.network.slug,
                            "role": m.role.value,
                            "status": m.status.value,
                            "requested": _when(m.requested_at),
                            "joined": _when(m.joined_at),
                            "left": _when(m.left_at),
                        }
                        for m in memberships
                    ],
                    "rsvps": [
                        {
                            "event": event.title,
                            "starts": _when(event.starts_at),
                            "answer": rsvp.attendance.value,
                            "answered": _when(rsvp.answered_at),
                        }
                        for rsvp, event in rsvps
                    ],
                    "signals": [
                        {
                            "network": signal.network.slug,
                            "text": signal.text,
                            "link": signal.permalink,
                            "saved": _when(signal.created_at),
                        }
                        for signal in signals
                    ],
                    "signals_seen_too": [
                        {"text": signal.text, "when": _when(at)}
                        for signal, at in data.seconded(person.id)
                    ],
                    "votes": [
                        {
                            "poll": ballot.poll.question,
                            "chose": [
                                option.label
                                for option in ballot.poll.options
                                if option.id in {choice.option_id for choice in ballot.choices}
                            ],
                            "comment": ballot.comment,
                            "voted": _when(ballot.voted_at),
                        }
                        for ballot in ballots
                    ],
                    "suggestions": [
                        {
                            "network": suggestion.network.slug,
                            "shown": _when(suggestion.shown_at),
                            "what_you_did": suggestion.outcome.value
                            if suggestion.outcome
                            else None,
                            "when": _when(suggestion.acted_at),
                            "not_interested": _when(suggestion.not_interested_at),
                        }
                        for suggestion in store.suggestions.of_person(person.id)
                    ],
                    "where_the_platform_reaches_you": _address(store, person),
                    "files_handed_to_you": [
                        {"name": file.name, "until": _when(file.expires_at)}
                        for file in store.handed_files.of_person(
                            person.workspace_id, person.user_id
                        )
                    ],
                    "audit_log": [
                        {
                            "action": entry.action.value,
                            "as": "actor" if entry.actor_id == person.id else "subject",
                            "when": _when(entry.created_at),
                        }
                        for entry in data.audit_entries(person.id)
                    ],
                },
                stored=self._counted(memberships, rsvps, signals, ballots),
            )

    def forget_preview(self, actor: Actor) -> ForgetPreview:
        """What `forget` would remove and keep, for the confirmation."""
        with self._db.snapshot() as store:
            person = _person(store, actor)
            events, signals = store.personal_data.authored(person.id)
            return ForgetPreview(
                stored=self._stored(store, person.id),
                events_kept=events,
                signals_kept=signals,
                sole_coordinator_of=_sole_coordinator_of(store, person.id),
            )

    def forget(self, actor: Actor) -> Forgotten:
        """Remove the actor's data, as `forget_preview` described."""
        with self._db.transaction() as store:
            person = _person(store, actor)
            stored = self._stored(store, person.id)
            events, signals = store.personal_data.authored(person.id)
            anonymous = [
                (poll_id, self._polls.voter_key(poll_id, person.id))
                for poll_id in store.personal_data.anonymous_polls(person.workspace_id)
            ]
            unlinked = store.personal_data.unlink_ballots(anonymous, lambda: secrets.token_hex(32))
            store.personal_data.remove_person(person)
            return Forgotten(
                memberships=stored.memberships,
                rsvps=stored.rsvps,
                votes=stored.votes,
                anonymous_votes_unlinked=unlinked,
                events_kept=events,
                signals_kept=signals,
            )

    def prune(self) -> Pruned:
        """Let go of records older than the retention period (the worker, daily)."""
        before = self._clock.now() - timedelta(days=self._retention_days)
        with self._db.transaction() as store:
            messages, deliveries, comments = store.personal_data.prune(before)
            suggestions = store.suggestions.prune(before)
            workspaces = store.workspaces.delete_removed(before)
            return Pruned(messages, deliveries, comments, suggestions, workspaces)

    def _stored(self, store: Store, person_id: int) -> StoredAboutYou:
        data = store.personal_data
        return self._counted(
            data.memberships(person_id),
            data.rsvps(person_id),
            data.signals(person_id),
            data.attributable_ballots(person_id),
        )

    def _counted(
        self, memberships: Sized, rsvps: Sized, signals: Sized, votes: Sized
    ) -> StoredAboutYou:
        return StoredAboutYou(
            len(memberships), len(rsvps), len(signals), len(votes), self._retention_days
        )


def _person(store: Store, actor: Actor) -> Person:
    person = store.people.by_user(actor.workspace_id, actor.user_id)
    if person is None:
        raise NotFound("error.privacy.unknown")
    return person


def _sole_coordinator_of(store: Store, person_id: int) -> tuple[NetworkRef, ...]:
    """The networks that would be left without a coordinator."""
    return tuple(
        network_ref(m.network)
        for m in store.personal_data.memberships(person_id)
        if m.status is MembershipStatus.ACTIVE
        and m.role is Role.COORDINATOR
        and len(store.memberships.coordinators_of(m.network_id)) <= 1
    )


def _address(store: Store, person: Person) -> dict[str, str | None] | None:
    """Where a platform that needs more than an id (Teams) reaches the person."""
    found = store.addresses.of(person.user_id, person.workspace_id)
    if found is None:
        return None
    address, _ = found
    return {
        "conversation": address.conversation_id,
        "service": address.service_url,
        "account": address.account_id,
        "updated": _when(address.updated_at),
    }


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _from_unix(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
