"""What joining, leaving, requests and roles come to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain import (
    MembershipStatus,
    Role,
)
from bot.results.people import Recipient
from bot.results.refs import NetworkRef, PersonRef


class JoinKind(StrEnum):
    JOINED = "joined"
    REQUESTED = "requested"


@dataclass(frozen=True)
class JoinRequest:
    """A pending request, as the coordinators who decide it see it."""

    membership_id: int
    network: NetworkRef
    requester: PersonRef
    # From another organisation (Slack Connect): coordinators should know before they decide.
    external: bool


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
    # From another organisation (Slack Connect).
    external: bool = False


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
    external: bool


class ChannelJoinKind(StrEnum):
    """What joining a linked channel came to for someone: membership, or for someone of another
    organisation, a request; or nothing, as they were declined before."""

    JOINED = "joined"
    REQUESTED = "requested"
    DECLINED_BEFORE = "declined_before"


@dataclass(frozen=True)
class ChannelJoin:
    """A network whose linked channel someone joined, what it came to, and the notices
    `queued` (a request's)."""

    network: NetworkRef
    person: PersonRef
    channel_id: str
    kind: ChannelJoinKind = ChannelJoinKind.JOINED
    queued: tuple[int, ...] = ()
