"""The vocabulary of networks and memberships, shared by every layer. Pure Python, no I/O."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

LANGUAGES = ("en", "fi", "sv")
# Rows are keyed by the databases' 32-bit integers: a larger id names nothing.
MAX_ROW_ID = 2**31 - 1


def row_id(text: str) -> int | None:
    """The id a button, a form or a command names in digits, or None if it cannot be one."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ROW_ID))):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


class Category(StrEnum):
    """What a network mainly does (the data file's `category`)."""

    PROFESSIONAL_SUPPORT = "professional_support"
    DEVELOPMENT = "development"
    COMMUNICATION = "communication"
    FORESIGHT = "foresight"
    PARTICIPATION = "participation"


class Scope(StrEnum):
    """Who takes part in a network besides the state (the data file's `scope`)."""

    STATE = "state"
    MUNICIPALITIES = "municipalities"
    WELLBEING_REGIONS = "wellbeing_regions"
    RESEARCHERS = "researchers"
    NGOS = "ngos"
    PRIVATE_SECTOR = "private_sector"


class Origin(StrEnum):
    """How a network came to be."""

    CENTRAL = "central"
    SPONTANEOUS = "spontaneous"
    UNKNOWN = "unknown"


class JoinPolicy(StrEnum):
    """How a person gets into a network."""

    OPEN = "open"
    REQUEST = "request"
    CLOSED = "closed"


class Role(StrEnum):
    """The structures networks really have. Only coordinators manage the network."""

    MEMBER = "member"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    SUPPORT_GROUP = "support_group"
    ADVISORY_GROUP = "advisory_group"


class MembershipStatus(StrEnum):
    """Where a membership stands. A declined request is kept as history, like a departure."""

    PENDING = "pending"
    ACTIVE = "active"
    LEFT = "left"
    DECLINED = "declined"


CURRENT_STATUSES = (MembershipStatus.PENDING, MembershipStatus.ACTIVE)


class AuditAction(StrEnum):
    """What the audit log records."""

    NETWORK_CREATED = "network_created"
    NETWORK_EDITED = "network_edited"
    NETWORK_IMPORTED = "network_imported"
    REQUEST_APPROVED = "request_approved"
    REQUEST_DECLINED = "request_declined"
    ROLE_CHANGED = "role_changed"
    MEMBER_ADDED = "member_added"
    EVENT_CREATED = "event_created"
    EVENT_EDITED = "event_edited"
    EVENT_CANCELLED = "event_cancelled"
    POLL_CREATED = "poll_created"
    POLL_CLOSED = "poll_closed"


class Answer(StrEnum):
    """What a person can answer to an event (an RSVP)."""

    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"


class Attendance(StrEnum):
    """Where an answer stands: going asks for a seat, which a full event puts on the waitlist."""

    GOING = "going"
    WAITLISTED = "waitlisted"
    MAYBE = "maybe"
    NOT_GOING = "not_going"


class Repeat(StrEnum):
    """How an event recurs; a monthly event keeps its weekday ("the second Tuesday")."""

    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ReminderState(StrEnum):
    """A reminder time of an event: waiting, done (messages queued), or dropped."""

    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


class Delivery(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class MessageKind(StrEnum):
    """What an outbox message is; the platform adapter renders each kind from the current data."""

    ANNOUNCEMENT = "announcement"
    ANNOUNCEMENT_REFRESH = "announcement_refresh"
    REMINDER = "reminder"
    PROMOTION = "promotion"
    EVENT_CHANGED = "event_changed"
    EVENT_CANCELLED = "event_cancelled"
    JOIN_REQUEST = "join_request"
    REQUEST_CLOSED = "request_closed"
    REQUEST_ANSWER = "request_answer"
    ROLE_GIVEN = "role_given"
    POLL = "poll"
    POLL_REFRESH = "poll_refresh"
    POLL_RESULTS = "poll_results"
    POLL_NUDGE = "poll_nudge"
    FEEDBACK_REQUEST = "feedback_request"
    FEEDBACK_SUMMARY = "feedback_summary"
    SIGNAL = "signal"
    SIGNAL_REFRESH = "signal_refresh"
    CHANNEL_DIGEST = "channel_digest"
    PERSONAL_DIGEST = "personal_digest"


class DigestSchedule(StrEnum):
    """How often a network's channel gets its digest, always on a Monday at 9:00."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    OFF = "off"


class ChannelTrouble(StrEnum):
    """Why a network's linked channel no longer works as it did; shown to its coordinators.
    Slack tells one thing in several events, in no set order (a channel deleted is left by the
    bot too): the gravest trouble stands until it is mended (`CHANNEL_TROUBLE_GRAVITY`)."""

    # This workspace was removed from a channel another organisation shares: it is gone here.
    DISCONNECTED = "disconnected"
    # Another organisation was removed from the shared channel: its members no longer see it.
    UNSHARED = "unshared"
    ARCHIVED = "archived"
    DELETED = "deleted"
    # The bot was removed from the channel: it can post there no more until it is invited back.
    BOT_REMOVED = "bot_removed"


# From the least grave trouble of a channel to the gravest.
CHANNEL_TROUBLE_GRAVITY = (
    ChannelTrouble.UNSHARED,
    ChannelTrouble.BOT_REMOVED,
    ChannelTrouble.ARCHIVED,
    ChannelTrouble.DISCONNECTED,
    ChannelTrouble.DELETED,
)


class DigestFrequency(StrEnum):
    """How often a person who has been away gets their own digest."""

    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class DigestSubject(StrEnum):
    NETWORK = "network"
    PERSON = "person"


class SuggestionOutcome(StrEnum):
    """How a person took up a network suggested to them, within the window after it was shown:
    they joined it (at once, or when their request was approved), or opened its details."""

    JOINED = "joined"
    OPENED = "opened"


# Joining or opening a network this soon after it was suggested counts as taking it up.
TAKE_UP_WINDOW = timedelta(days=14)


class PollKind(StrEnum):
    """What a poll asks: a choice among options, 1 to 5 stars, or 0 to 10 (net promoter)."""

    CHOICE = "choice"
    STARS = "stars"
    NPS = "nps"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


POLL_MESSAGES = frozenset(
    {
        MessageKind.POLL,
        MessageKind.POLL_REFRESH,
        MessageKind.POLL_RESULTS,
        MessageKind.POLL_NUDGE,
        MessageKind.FEEDBACK_REQUEST,
        MessageKind.FEEDBACK_SUMMARY,
    }
)


EVENT_MESSAGES = frozenset(
    {
        MessageKind.ANNOUNCEMENT,
        MessageKind.ANNOUNCEMENT_REFRESH,
        MessageKind.REMINDER,
        MessageKind.PROMOTION,
        MessageKind.EVENT_CHANGED,
        MessageKind.EVENT_CANCELLED,
    }
)


SIGNAL_MESSAGES = frozenset({MessageKind.SIGNAL, MessageKind.SIGNAL_REFRESH})

DIGEST_MESSAGES = frozenset({MessageKind.CHANNEL_DIGEST, MessageKind.PERSONAL_DIGEST})


class Platform(StrEnum):
    """Where a workspace is: a Slack team or a Microsoft Teams tenant."""

    SLACK = "slack"
    TEAMS = "teams"


class RecipientKind(StrEnum):
    """Whom an outbox message goes to: one person (a direct message), or a conversation that
    many read (a channel)."""

    PERSON = "person"
    CONVERSATION = "conversation"


# The messages that go to a network's conversation; every other kind goes to one person.
CONVERSATION_MESSAGES = frozenset(
    {
        MessageKind.ANNOUNCEMENT,
        MessageKind.ANNOUNCEMENT_REFRESH,
        MessageKind.POLL,
        MessageKind.POLL_REFRESH,
        MessageKind.POLL_RESULTS,
        MessageKind.SIGNAL,
        MessageKind.SIGNAL_REFRESH,
        MessageKind.CHANNEL_DIGEST,
    }
)


def recipient_kind(kind: MessageKind) -> RecipientKind:
    """Whom a message of this kind goes to."""
    if kind in CONVERSATION_MESSAGES:
        return RecipientKind.CONVERSATION
    return RecipientKind.PERSON
