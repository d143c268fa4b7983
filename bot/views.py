"""Small immutable views that services return. They hold data, never text or markup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain import (
    Attendance,
    Category,
    DigestFrequency,
    JoinPolicy,
    MembershipStatus,
    MessageKind,
    Origin,
    PollKind,
    Repeat,
    Role,
    Scope,
)

# Readers of a national language get the other national language before English.
FALLBACK_ORDER = {"en": ("en", "fi", "sv"), "fi": ("fi", "sv", "en"), "sv": ("sv", "fi", "en")}


@dataclass(frozen=True)
class Localized:
    """A text that may exist in several languages, often in one only."""

    fi: str | None = None
    en: str | None = None
    sv: str | None = None

    def in_(self, language: str) -> str:
        """The text in `language`, else in the closest language that has it, else ""."""
        for code in FALLBACK_ORDER.get(language, FALLBACK_ORDER["en"]):
            value = getattr(self, code)
            if value:
                return value
        return ""

    def values(self) -> tuple[str, ...]:
        return tuple(value for value in (self.fi, self.en, self.sv) if value)


@dataclass(frozen=True)
class PersonRef:
    """Someone as others see them."""

    user_id: str
    display_name: str


@dataclass(frozen=True)
class Recipient:
    """Someone the bot writes to on its own, in their language."""

    user_id: str
    display_name: str
    language: str
    timezone: str


@dataclass(frozen=True)
class Actor:
    """The person acting in a request, as the services know them."""

    workspace_id: int
    team_id: str
    person_id: int
    user_id: str
    display_name: str
    language: str
    timezone: str
    is_workspace_admin: bool = False


@dataclass(frozen=True)
class NetworkRef:
    """Enough of a network to name it and point at it."""

    id: int
    slug: str
    names: Localized


@dataclass(frozen=True)
class NetworkSummary:
    """A network in a list, with the viewer's own standing in it."""

    ref: NetworkRef
    descriptions: Localized
    category: Category
    scope: tuple[Scope, ...]
    join_policy: JoinPolicy
    member_count: int
    listed: bool
    archived: bool
    my_status: MembershipStatus | None = None
    my_role: Role | None = None

    @property
    def is_member(self) -> bool:
        return self.my_status is MembershipStatus.ACTIVE


@dataclass(frozen=True)
class NetworkDetail:
    """Everything `info` shows about a network."""

    summary: NetworkSummary
    coordinating_organisation: str | None
    origin: Origin
    tags: tuple[str, ...]
    source: str | None
    channel_id: str | None
    coordinators: tuple[PersonRef, ...]
    can_edit: bool
    calendar_token: str


@dataclass(frozen=True)
class SearchResult:
    """One page of a directory search."""

    query: str
    category: Category | None
    scopes: tuple[Scope, ...]
    networks: tuple[NetworkSummary, ...]
    total: int
    offset: int
    complete: bool = True

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.networks)
        return following if following < self.total else None


class JoinKind(StrEnum):
    JOINED = "joined"
    REQUESTED = "requested"


@dataclass(frozen=True)
class JoinRequest:
    """A pending request, as the coordinators who decide it see it."""

    membership_id: int
    network: NetworkRef
    requester: PersonRef


@dataclass(frozen=True)
class JoinOutcome:
    """What joining did. A request names the people asked; `queued` holds the outbox
    messages that ask them."""

    kind: JoinKind
    network: NetworkRef
    channel_id: str | None = None
    deciders: tuple[Recipient, ...] = ()
    queued: tuple[int, ...] = ()


class LeaveKind(StrEnum):
    LEFT = "left"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LeaveOutcome:
    kind: LeaveKind
    network: NetworkRef
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class RequestDecision:
    """A coordinator's answer to a join request, and whom to tell."""

    approved: bool
    network: NetworkRef
    requester: Recipient
    decided_by: PersonRef
    channel_id: str | None
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class MembershipView:
    """One of a person's current memberships or pending requests."""

    network: NetworkRef
    role: Role
    status: MembershipStatus
    since: datetime


@dataclass(frozen=True)
class MemberView:
    person: PersonRef
    role: Role
    joined_at: datetime


@dataclass(frozen=True)
class MemberList:
    network: NetworkRef
    members: tuple[MemberView, ...]
    total: int


@dataclass(frozen=True)
class RoleChange:
    network: NetworkRef
    person: Recipient
    role: Role
    added: bool
    channel_id: str | None
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class MembershipNotice:
    """What a message about one membership needs, read when the message is sent: the network,
    whose membership it is, where it stands now, and who acted (when the message names them)."""

    membership_id: int
    network: NetworkRef
    channel_id: str | None
    person: Recipient
    status: MembershipStatus
    acted_by: PersonRef | None


@dataclass(frozen=True)
class ChannelJoin:
    """A network that someone became a member of by joining its linked channel."""

    network: NetworkRef
    person: PersonRef
    channel_id: str


@dataclass(frozen=True)
class Profile:
    """What the platform tells about a person: when the bot first meets them, when their
    profile changes, and when the bot asks again. `timezone` None: not told. `version` orders
    profiles (Slack's `updated`), so that an older one never replaces a newer."""

    display_name: str
    timezone: str | None = None
    is_workspace_admin: bool = False
    version: int | None = None


@dataclass(frozen=True)
class EventCard:
    """An event as its announcement shows it: the facts, the answers, and whether one may answer."""

    id: int
    network: NetworkRef
    title: str
    description: str | None
    place: str | None
    link: str | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    rsvp_deadline: datetime | None
    repeat: Repeat
    occurrence: int
    revision: int
    cancelled: bool
    language: str
    going: tuple[PersonRef, ...]
    maybe_count: int
    not_going_count: int
    waitlisted_count: int
    answers_open: bool
    calendar_token: str

    @property
    def going_count(self) -> int:
        return len(self.going)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity


@dataclass(frozen=True)
class EventSaved:
    """What creating or editing did: the first occurrence, how many there are, what changed."""

    event: EventCard
    occurrences: int
    channel_id: str
    created: bool
    changed: tuple[str, ...] = ()
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventAnswer:
    """Where a person stands after answering; `waitlist_place` counts from 1. The event's
    counts are not read again here: the announcement's refresh shows them."""

    event_id: int
    title: str
    attendance: Attendance | None
    waitlist_place: int | None
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventCancelled:
    event: EventCard
    notified: int
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventListing:
    """Upcoming events, of one network or of all of a person's networks."""

    network: NetworkRef | None
    events: tuple[EventCard, ...]
    mine: dict[int, Attendance]
    manageable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why a network is recommended, in data: `topics` (the shared keywords), `members` (how
    many members are in both), `scope` (who else takes part in both), `organisation` (the same
    coordinating organisation) or `text` (their descriptions are alike)."""

    kind: str
    count: int = 0
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    network: NetworkSummary
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Recommendations:
    """Networks worth knowing: like one network (`source`), or for a person (`source` None)."""

    source: NetworkRef | None
    networks: tuple[Recommendation, ...]


@dataclass(frozen=True)
class OptionResult:
    """An option of a poll and its votes; None while the results are hidden."""

    id: int
    label: str
    votes: int | None


@dataclass(frozen=True)
class PollCard:
    """A poll as its message shows it to everyone: never who voted for what."""

    id: int
    network: NetworkRef
    question: str
    kind: PollKind
    options: tuple[OptionResult, ...]
    total: int
    max_choices: int
    anonymous: bool
    results_live: bool
    results_visible: bool
    hidden_reason: str | None
    members_add_options: bool
    closes_at: datetime | None
    closed: bool
    nudged: bool
    language: str
    timezone: str
    average: float | None = None
    comments: tuple[str, ...] = ()
    event_title: str | None = None
    event_starts_at: datetime | None = None


@dataclass(frozen=True)
class PollSaved:
    poll: PollCard
    channel_id: str
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class PollOutcome:
    """What a vote (or a comment, a new option, closing) did, told to the person who did it:
    their own choices, which only they see."""

    poll_id: int
    question: str
    chosen: tuple[str, ...]
    anonymous: bool
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class Nudged:
    poll_id: int
    reminded: int
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class SignalCard:
    """A weak signal as people see it: what was noticed, by whom, where, and how many saw it too."""

    id: int
    network: NetworkRef
    text: str
    author: PersonRef | None
    permalink: str | None
    seconds: int
    created_at: datetime
    language: str
    seconded_by_me: bool = False


@dataclass(frozen=True)
class SignalSaved:
    card: SignalCard
    channel_id: str | None
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class SignalSeconded:
    card: SignalCard
    added: bool
    queued: tuple[int, ...] = ()


@dataclass(frozen=True)
class SignalListing:
    network: NetworkRef
    signals: tuple[SignalCard, ...]
    total: int
    may_export: bool


@dataclass(frozen=True)
class DigestEvent:
    """An upcoming event in a digest, with its answers so far."""

    id: int
    title: str
    starts_at: datetime
    timezone: str
    going: int
    maybe: int
    capacity: int | None


@dataclass(frozen=True)
class DigestPoll:
    """A poll in a digest: open with its voters so far, or closed with what won (`leading` is
    empty when its results are not to be shown)."""

    id: int
    question: str
    voters: int
    closed: bool
    closes_at: datetime | None
    leading: tuple[str, ...] = ()
    leading_votes: int = 0


@dataclass(frozen=True)
class DigestSignal:
    text: str
    seconds: int


@dataclass(frozen=True)
class NetworkNews:
    """What happened in one network during a period."""

    network: NetworkRef
    period_start: datetime
    period_end: datetime
    new_member_count: int = 0
    new_members: tuple[PersonRef, ...] = ()
    events: tuple[DigestEvent, ...] = ()
    open_polls: tuple[DigestPoll, ...] = ()
    closed_polls: tuple[DigestPoll, ...] = ()
    signal_count: int = 0
    signals: tuple[DigestSignal, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_member_count
            or self.events
            or self.open_polls
            or self.closed_polls
            or self.signal_count
        )


@dataclass(frozen=True)
class ChannelDigest:
    """A network's digest for its channel; `similar` are networks worth knowing."""

    news: NetworkNews
    similar: tuple[Recommendation, ...] = ()
    language: str = "en"

    @property
    def is_empty(self) -> bool:
        """Similar networks alone are not news: a period with nothing else sends nothing."""
        return self.news.is_empty


@dataclass(frozen=True)
class NetworkActivity:
    """How much happened in one of a person's networks during a period."""

    network: NetworkRef
    joined: int = 0
    events: int = 0
    signals: int = 0


@dataclass(frozen=True)
class PersonalDigest:
    """What someone who was away missed: their events, polls waiting for them, results of the
    polls they voted in, news from their networks, and networks for them."""

    period_start: datetime
    period_end: datetime
    going_to: tuple[tuple[NetworkRef, DigestEvent], ...] = ()
    waiting_polls: tuple[tuple[NetworkRef, DigestPoll], ...] = ()
    results: tuple[tuple[NetworkRef, DigestPoll], ...] = ()
    networks: tuple[NetworkActivity, ...] = ()
    for_you: tuple[Recommendation, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.going_to or self.waiting_polls or self.results or self.networks)


@dataclass(frozen=True)
class ReportWeek:
    """One week of a network's report, from `start`: members at its end, and what happened."""

    start: datetime
    members: int
    joined: int
    left: int
    events: int
    attendance: int
    votes: int
    signals: int


@dataclass(frozen=True)
class ReportEvent:
    title: str
    starts_at: datetime
    going: int
    feedback_score: float | None
    feedback_count: int


@dataclass(frozen=True)
class ReportPoll:
    question: str
    created_at: datetime
    voters: int
    members: int
    anonymous: bool


@dataclass(frozen=True)
class NetworkReport:
    """What a network did and achieved in a period, for its coordinators' evaluations."""

    network: NetworkRef
    start: datetime
    end: datetime
    members_at_start: int
    members_at_end: int
    joined: int
    left: int
    active: int
    weeks: tuple[ReportWeek, ...]
    events: tuple[ReportEvent, ...]
    polls: tuple[ReportPoll, ...]
    signals: int
    signal_seconds: int
    in_other_networks: int
    other_networks: int
    other_organisations: int


@dataclass(frozen=True)
class StoredAboutYou:
    """How much Verkosto keeps about one person, and for how long it keeps old records."""

    memberships: int
    rsvps: int
    signals: int
    votes: int
    retention_days: int


@dataclass(frozen=True)
class PersonalExport:
    """Everything stored about one person, as JSON-ready data, with its counts."""

    data: dict[str, object]
    stored: StoredAboutYou


@dataclass(frozen=True)
class ForgetPreview:
    """What forgetting a person removes, and what it keeps without them."""

    stored: StoredAboutYou
    events_kept: int
    signals_kept: int
    sole_coordinator_of: tuple[NetworkRef, ...]


@dataclass(frozen=True)
class Forgotten:
    """What was removed when a person was forgotten."""

    memberships: int
    rsvps: int
    votes: int
    anonymous_votes_unlinked: int
    events_kept: int
    signals_kept: int


@dataclass(frozen=True)
class Pruned:
    """What the retention rule let go of in one run."""

    messages: int
    deliveries: int
    comments: int


@dataclass(frozen=True)
class WaitingPoll:
    """An open poll in one of the person's networks that waits for their vote."""

    network: NetworkRef
    id: int
    question: str
    kind: PollKind
    options: tuple[tuple[int, str], ...]
    closes_at: datetime | None


@dataclass(frozen=True)
class HomeNetwork:
    """One of the person's networks (or requests) on their Home: what comes next in it."""

    membership: MembershipView
    next_event: EventCard | None
    waiting_polls: int
    coordinated: bool


@dataclass(frozen=True)
class Undelivered:
    """A message about a network that could not be sent, and why (the platform's reason)."""

    network: NetworkRef
    kind: MessageKind
    recipient: str
    reason: str
    due_at: datetime


@dataclass(frozen=True)
class HomePage:
    """Everything the person's Home tab shows."""

    networks: tuple[HomeNetwork, ...]
    events: EventListing
    polls: tuple[WaitingPoll, ...]
    for_you: Recommendations
    requests: tuple[JoinRequest, ...]
    undelivered: tuple[Undelivered, ...]
    reminders: bool
    digest_frequency: DigestFrequency
    is_workspace_admin: bool
