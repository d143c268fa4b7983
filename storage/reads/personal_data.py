"""A person's data, for the privacy export and forget, and what retention lets go."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.domain import (
    Delivery,
    DigestSubject,
)
from storage.models import (
    AuditEntry,
    Ballot,
    ConversationAddress,
    Digest,
    Event,
    HandedFile,
    Membership,
    OutboxMessage,
    Person,
    Poll,
    ProcessedEvent,
    Rsvp,
    Signal,
    SignalSecond,
    Workspace,
    slack_installations,
)


class PersonalData:
    """What is stored about one person: to show it to them, to remove it, and to let old
    records go after the retention period."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def memberships(self, person_id: int) -> Sequence[Membership]:
        """Every spell in every network, history included, oldest first."""
        return self.session.scalars(
            select(Membership)
            .options(joinedload(Membership.network))
            .where(Membership.person_id == person_id)
            .order_by(Membership.id)
        ).all()

    def rsvps(self, person_id: int) -> list[tuple[Rsvp, Event]]:
        rows = self.session.execute(
            select(Rsvp, Event)
            .join(Event, Event.id == Rsvp.event_id)
            .where(Rsvp.person_id == person_id)
            .order_by(Event.starts_at, Event.id)
        )
        return [(rsvp, event) for rsvp, event in rows]

    def signals(self, person_id: int) -> Sequence[Signal]:
        """The signals the person saved."""
        return self.session.scalars(
            select(Signal)
            .options(joinedload(Signal.network))
            .where(Signal.author_id == person_id)
            .order_by(Signal.id)
        ).all()

    def seconded(self, person_id: int) -> list[tuple[Signal, datetime]]:
        """The signals the person said they saw too, and when."""
        rows = self.session.execute(
            select(Signal, SignalSecond.created_at)
            .join(SignalSecond, SignalSecond.signal_id == Signal.id)
            .where(SignalSecond.person_id == person_id)
            .order_by(SignalSecond.created_at)
        )
        return [(signal, at) for signal, at in rows]

    def attributable_ballots(self, person_id: int) -> Sequence[Ballot]:
        """The person's ballots in polls that are not anonymous, with poll and choices."""
        return (
            self.session.scalars(
                select(Ballot)
                .options(
                    joinedload(Ballot.choices), selectinload(Ballot.poll).joinedload(Poll.options)
                )
                .where(Ballot.person_id == person_id)
                .order_by(Ballot.id)
            )
            .unique()
            .all()
        )

    def audit_entries(self, person_id: int) -> Sequence[AuditEntry]:
        """What the log holds of the person, as the one who acted or the one acted upon."""
        return self.session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.actor_id == person_id, AuditEntry.subject_id == person_id))
            .order_by(AuditEntry.id)
        ).all()

    def authored(self, person_id: int) -> tuple[int, int]:
        """How many events and signals the person created: kept when they are forgotten."""
        events = self.session.scalar(
            select(func.count()).select_from(Event).where(Event.creator_id == person_id)
        )
        signals = self.session.scalar(
            select(func.count()).select_from(Signal).where(Signal.author_id == person_id)
        )
        return events or 0, signals or 0

    def anonymous_polls(self, workspace_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(Poll.id).where(Poll.workspace_id == workspace_id, Poll.anonymous.is_(True))
            )
        )

    def unlink_ballots(self, voters: Collection[tuple[int, str]], new_voter: Any) -> int:
        """Give the ballots found by (poll id, voter key) a voter key that leads nowhere
        (`new_voter()` each); their choices stay in the counts. How many."""
        wanted = set(voters)
        keys = sorted({voter for _, voter in wanted})
        found = 0
        # By the key alone, in chunks (a key names its poll too): a workspace may have
        # thousands of anonymous polls, more than one statement should carry.
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            for ballot in self.session.scalars(select(Ballot).where(Ballot.voter.in_(chunk))):
                if (ballot.poll_id, ballot.voter) in wanted:
                    ballot.voter = new_voter()
                    found += 1
        return found

    def remove_person(self, person: Person) -> None:
        """The person's row, and with it (by the foreign keys) their memberships, answers,
        "+1"s, attributable ballots and the suggestions made to them; what they authored stays,
        without them. Their digest decisions, the messages the bot kept for or about them, the
        files handed to them and where the platform reaches them go too."""
        self.session.execute(
            delete(Digest).where(
                Digest.subject == DigestSubject.PERSON, Digest.subject_id == person.id
            )
        )
        self.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.workspace_id == person.workspace_id,
                OutboxMessage.recipient == person.user_id,
            )
        )
        self.session.execute(
            delete(HandedFile).where(
                HandedFile.workspace_id == person.workspace_id,
                HandedFile.person_user_id == person.user_id,
            )
        )
        self.session.execute(
            delete(ConversationAddress).where(
                ConversationAddress.workspace_id == person.workspace_id,
                ConversationAddress.subject == person.user_id,
            )
        )
        self._forget_installer(person)
        self.session.execute(delete(Person).where(Person.id == person.id))

    def installations(self, person: Person) -> list[datetime]:
        """When the person installed the Slack app in their workspace, if they did."""
        installed = self._installed_by(person)
        if installed is None:
            return []
        query = select(slack_installations.c.installed_at).where(installed)
        return [when.replace(tzinfo=UTC) for when in self.session.scalars(query)]

    def _forget_installer(self, person: Person) -> None:
        """If the person installed the Slack app, the installation no longer says who did."""
        installed = self._installed_by(person)
        if installed is not None:
            self.session.execute(update(slack_installations).where(installed).values(user_id=""))

    def _installed_by(self, person: Person) -> ColumnElement[bool] | None:
        """The rows of `slack_installations` that name the person as who installed the app."""
        workspace = self.session.get(Workspace, person.workspace_id)
        if workspace is None:
            return None
        return and_(
            slack_installations.c.user_id == person.user_id,
            or_(
                slack_installations.c.team_id == workspace.team_id,
                slack_installations.c.enterprise_id == workspace.team_id,
            ),
        )

    def prune(self, before: datetime) -> tuple[int, int, int]:
        """Let go of what is older than `before`: sent or cancelled outbox messages, Events API
        delivery ids, and the comments of polls closed before it. How many of each."""
        messages = self.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.state.in_((Delivery.SENT, Delivery.CANCELLED)),
                OutboxMessage.created_at < before,
            )
        ).rowcount
        deliveries = self.session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < before)
        ).rowcount
        old_polls = select(Poll.id).where(Poll.closed_at < before).scalar_subquery()
        comments = self.session.execute(
            update(Ballot)
            .where(Ballot.poll_id.in_(old_polls), Ballot.comment.is_not(None))
            .values(comment=None)
        ).rowcount
        return messages, deliveries, comments
