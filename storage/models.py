"""SQLAlchemy 2.0 models. Every row belongs to a workspace; times are aware UTC."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    event,
    false,
    text,
    true,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from bot.domain import (
    Attendance,
    AuditAction,
    Category,
    ChannelTrouble,
    Delivery,
    DigestFrequency,
    DigestSchedule,
    DigestSubject,
    EventStatus,
    JoinPolicy,
    MembershipStatus,
    MessageKind,
    Origin,
    Platform,
    PollKind,
    PollStatus,
    RecipientKind,
    ReminderState,
    Repeat,
    Role,
    SuggestionOutcome,
)
from storage.types import UTCDateTime

# Wide enough for every platform: a Teams tenant is a GUID, a Teams user id runs to a hundred
# characters, and a Teams conversation id to several hundred.
WORKSPACE_ID = String(64)
PERSON_ID = String(255)
CONVERSATION_ID = String(512)
MESSAGE_REF = String(255)

# Stable constraint names, so that Alembic can find them again on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum: a VARCHAR holding the member's value, with a CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def new_token() -> str:
    """An unguessable token for a URL that needs no login, such as a calendar feed."""
    return secrets.token_urlsafe(24)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workspace(Base):
    """A Slack team or a Teams tenant; `team_id` is the platform's id for it."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(
        enum_column(Platform, "platform"), default=Platform.SLACK, server_default="slack"
    )
    team_id: Mapped[str] = mapped_column(WORKSPACE_ID, unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A new random value whenever one of the workspace's networks is created or changed, so that
    # a process holding the networks in memory can tell cheaply whether they are still current.
    # Random rather than counted: a rolled-back change must not leave a value a later one reuses.
    networks_version: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # A Slack workspace's Enterprise Grid organisation, when it belongs to one.
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    # When the Slack app was removed from it (its tokens are gone at once; its data stays for
    # the retention period, in case it is installed again).
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Person(Base):
    """Someone the bot has met in a workspace."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PERSON_ID)
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_workspace_admin: Mapped[bool] = mapped_column(default=False)
    reminders_enabled: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency, "digest_frequency"),
        default=DigestFrequency.WEEKLY,
        server_default=DigestFrequency.WEEKLY.value,
    )
    # When the person last used the bot (a command, a button, a form): who was away gets the
    # personal digest. Written at most hourly.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the name, time zone and admin flag were last read from the platform (None: never,
    # so read them at the next chance), and the platform's version of that profile: an older
    # one never overwrites a newer (Slack's `updated`).
    profile_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    profile_version: Mapped[int | None] = mapped_column(BigInteger)
    # Someone from another organisation (Slack Connect): its Enterprise Grid organisation's id,
    # or their own team's where it belongs to none.
    organisation_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Network(Base):
    """A professional network: every field of the data file, plus how it runs in chat."""

    __tablename__ = "networks"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(64))
    name_fi: Mapped[str | None] = mapped_column(String(150))
    name_en: Mapped[str | None] = mapped_column(String(150))
    name_sv: Mapped[str | None] = mapped_column(String(150))
    description_fi: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    description_sv: Mapped[str | None] = mapped_column(Text)
    coordinating_organisation: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[Category] = mapped_column(enum_column(Category, "category"))
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, "origin"), default=Origin.UNKNOWN)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(500))
    channel_id: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    # What went wrong with the linked channel, and when; cleared when it is mended or replaced.
    channel_trouble: Mapped[ChannelTrouble | None] = mapped_column(
        enum_column(ChannelTrouble, "channel_trouble")
    )
    channel_trouble_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    join_policy: Mapped[JoinPolicy] = mapped_column(
        enum_column(JoinPolicy, "join_policy"), default=JoinPolicy.OPEN
    )
    listed: Mapped[bool] = mapped_column(default=True)
    # Shown on the public web directory and in the open data (when listed and not archived).
    published: Mapped[bool] = mapped_column(default=False, server_default=text("false"), index=True)
    archived: Mapped[bool] = mapped_column(default=False)
    members_may_announce: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    digest_schedule: Mapped[DigestSchedule] = mapped_column(
        enum_column(DigestSchedule, "digest_schedule"),
        default=DigestSchedule.WEEKLY,
        server_default=DigestSchedule.WEEKLY.value,
    )
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="network")

    @hybrid_property
    def public(self: Network) -> bool:
        """On the public web directory: published, listed and not archived."""
        return self.published and self.listed and not self.archived

    @public.inplace.expression
    @classmethod
    def _public_expression(cls: type[Network]) -> ColumnElement[bool]:
        return and_(cls.published == true(), cls.listed == true(), cls.archived == false())


@event.listens_for(Network, "after_insert")
@event.listens_for(Network, "after_update")
def _network_written(_mapper: Mapper[Network], connection: Connection, network: Network) -> None:
    """Every create or edit of a network gives its workspace a new `networks_version`, in the
    same transaction, whichever code path wrote it."""
    connection.execute(
        update(Workspace)
        .where(Workspace.id == network.workspace_id)
        .values(networks_version=secrets.token_hex(16))
    )


class Membership(Base):
    """One spell of a person in a network, from request or joining until leaving.

    A person who leaves and comes back gets a new row, so the history stays reportable; at most
    one row per person and network is current (pending or active).
    """

    __tablename__ = "memberships"
    __table_args__ = (
        Index(
            "uq_memberships_current",
            "network_id",
            "person_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'active')"),
            postgresql_where=text("status IN ('pending', 'active')"),
        ),
        Index("ix_memberships_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column(MembershipStatus, "membership_status")
    )
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class AuditEntry(Base):
    """What a coordinator (or an import) did, and to whom."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedEvent(Base):
    """Events API deliveries already handled, so that Slack's retries are handled once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(WORKSPACE_ID)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Event(Base):
    """One occurrence of an event. A repeating event is a series of occurrences that share
    `series_id` (the first occurrence's id); each keeps its own answers and can be edited alone."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_network_starts", "network_id", "starts_at"),
        Index("ix_events_workspace_starts", "workspace_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    occurrence: Mapped[int] = mapped_column(default=1)
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column()
    rsvp_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_minutes: Mapped[list[int]] = mapped_column(JSON, default=list)
    repeat: Mapped[Repeat] = mapped_column(enum_column(Repeat, "repeat"), default=Repeat.NONE)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.SCHEDULED
    )
    channel_id: Mapped[str] = mapped_column(CONVERSATION_ID)
    language: Mapped[str] = mapped_column(String(8))
    announce_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Counts edits, so that each edit's notices have keys of their own.
    revision: Mapped[int] = mapped_column(default=1)
    # The feedback the people who went gave, once its poll closed (for reports).
    feedback_score: Mapped[float | None] = mapped_column()
    feedback_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()


class Rsvp(Base):
    """A person's answer to one occurrence. `queue_order` is the order of asking for a seat:
    it decides who is going and who is waiting, first come, first served."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        Index("ix_rsvps_event_attendance", "event_id", "attendance", "queue_order"),
        Index("ix_rsvps_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    attendance: Mapped[Attendance] = mapped_column(enum_column(Attendance, "attendance"))
    queue_order: Mapped[int] = mapped_column()
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class EventReminder(Base):
    """One reminder time of one occurrence; firing it queues a message per person going."""

    __tablename__ = "event_reminders"
    __table_args__ = (
        UniqueConstraint("event_id", "minutes_before"),
        Index("ix_event_reminders_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    minutes_before: Mapped[int] = mapped_column()
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[ReminderState] = mapped_column(
        enum_column(ReminderState, "reminder_state"), default=ReminderState.PENDING
    )


class OutboxMessage(Base):
    """Something the bot sends on its own, written before it is sent.

    `key` makes each message unique (the same reminder is never queued twice); the worker claims
    rows, sends them and keeps where the platform put them. `payload` holds ids only: the
    platform adapter renders the message from the current data when it sends it.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_due", "state", "due_at"),
        Index("ix_outbox_network_state", "network_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # The network it is about (None for a personal digest), whose coordinators see failures.
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="SET NULL"))
    network: Mapped[Network | None] = relationship()
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, "message_kind"))
    recipient: Mapped[str] = mapped_column(CONVERSATION_ID)
    recipient_kind: Mapped[RecipientKind] = mapped_column(
        enum_column(RecipientKind, "recipient_kind")
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[Delivery] = mapped_column(
        enum_column(Delivery, "delivery"), default=Delivery.PENDING
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set when the message changed while it was being sent, so that it is sent once more.
    rearm: Mapped[bool] = mapped_column(default=False)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    # Where the platform put it: the conversation, and the platform's opaque reference to the
    # message there (Slack's ts, a Teams activity id), to update it or reply in its thread.
    sent_conversation: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    sent_ref: Mapped[str | None] = mapped_column(MESSAGE_REF)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Poll(Base):
    """A question to a network: a choice among options, or a rating. A feedback poll belongs to
    an event and asks the people who were going."""

    __tablename__ = "polls"
    __table_args__ = (
        Index("ix_polls_status_closes", "status", "closes_at"),
        UniqueConstraint("event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[PollKind] = mapped_column(enum_column(PollKind, "poll_kind"))
    max_choices: Mapped[int] = mapped_column(default=1)
    anonymous: Mapped[bool] = mapped_column(default=False)
    results_live: Mapped[bool] = mapped_column(default=True)
    members_add_options: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PollStatus] = mapped_column(
        enum_column(PollStatus, "poll_status"), default=PollStatus.OPEN
    )
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()
    options: Mapped[list[PollOption]] = relationship(
        order_by="PollOption.position", back_populates="poll"
    )


class PollOption(Base):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(150))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    poll: Mapped[Poll] = relationship(back_populates="options")


class Ballot(Base):
    """One voter's ballot in a poll. `voter` is a keyed hash of the poll and the person, so
    that a person finds their own ballot again; `person_id` is kept only when the poll is not
    anonymous. An anonymous ballot holds nothing that leads back to its voter, not even a time."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("poll_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    voter: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    comment: Mapped[str | None] = mapped_column(Text)
    voted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    choices: Mapped[list[BallotChoice]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan"
    )
    person: Mapped[Person | None] = relationship()
    poll: Mapped[Poll] = relationship()


class BallotChoice(Base):
    __tablename__ = "ballot_choices"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class Signal(Base):
    """A weak signal a member noticed: an early sign of change, kept with where it was seen."""

    __tablename__ = "signals"
    __table_args__ = (
        # The same message saved twice into one network is one signal.
        UniqueConstraint("network_id", "source_conversation", "source_ref"),
        Index("ix_signals_network_created", "network_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    permalink: Mapped[str | None] = mapped_column(String(500))
    source_conversation: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    source_ref: Mapped[str | None] = mapped_column(MESSAGE_REF)
    # Where the signal was posted for the network to see, if it has a channel.
    channel_id: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()
    author: Mapped[Person | None] = relationship()


class SignalSecond(Base):
    """Someone saying they have seen a signal too (the +1)."""

    __tablename__ = "signal_seconds"

    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Digest(Base):
    """One period of a network's or a person's digest, decided once: queued, or nothing to say."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("subject", "subject_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    subject: Mapped[DigestSubject] = mapped_column(enum_column(DigestSubject, "digest_subject"))
    subject_id: Mapped[int] = mapped_column()
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    queued: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Suggestion(Base):
    """A network suggested to a person: which, to whom and when it was last shown, no text; how
    they took it up (joined or opened it within the window), and when they said they are not
    interested in it."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("person_id", "network_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[SuggestionOutcome | None] = mapped_column(
        enum_column(SuggestionOutcome, "suggestion_outcome")
    )
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_interested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()


class ConversationAddress(Base):
    """Where the bot can reach a person or a conversation on its own, for platforms that need
    more than an id for it (Teams: the conversation, the service address, the person's id in
    the bot's chats). `subject` is the person's or the conversation's platform id."""

    __tablename__ = "conversation_addresses"

    subject: Mapped[str] = mapped_column(CONVERSATION_ID, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[str | None] = mapped_column(CONVERSATION_ID)
    service_url: Mapped[str] = mapped_column(String(500))
    account_id: Mapped[str | None] = mapped_column(PERSON_ID)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HandedFile(Base):
    """A file handed to a person as a link (where the platform takes no files from a bot):
    reachable by its unguessable token until it expires."""

    __tablename__ = "handed_files"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_user_id: Mapped[str] = mapped_column(PERSON_ID, index=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def _slack_installation_columns() -> list[Column[object]]:
    """The columns slack_sdk's SQLAlchemy installation store reads and writes in both of its
    tables (`slack_sdk.oauth.installation_store.sqlalchemy`); its times are naive UTC."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
        Column("is_enterprise_install", Boolean, nullable=False),
        Column("installed_at", DateTime, nullable=False),
    ]


# The Slack app's installations in each workspace and organisation (OAuth v2), and the states of
# installs under way: slack_sdk's stores keep them, Alembic creates them.
# tests/installs/test_tables.py checks that these agree with the tables the stores define.
slack_installations = Table(
    "slack_installations",
    Base.metadata,
    *_slack_installation_columns(),
    Column("enterprise_url", String(200)),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("token_type", String(32)),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)
slack_bots = Table(
    "slack_bots",
    Base.metadata,
    *_slack_installation_columns(),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
