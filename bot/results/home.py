"""A person's Home: their networks, events, polls, and what could not be sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import ChannelTrouble, DigestFrequency, MessageKind
from bot.results.events import EventCard, EventListing
from bot.results.memberships import JoinRequest, MembershipView
from bot.results.polls import WaitingPoll
from bot.results.recommendations import Recommendations
from bot.results.refs import NetworkRef


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
class TroubledChannel:
    """A coordinated network whose linked channel no longer works as it did, and since when."""

    network: NetworkRef
    channel_id: str
    trouble: ChannelTrouble
    since: datetime


@dataclass(frozen=True)
class HomePage:
    """Everything the person's Home tab shows."""

    networks: tuple[HomeNetwork, ...]
    events: EventListing
    polls: tuple[WaitingPoll, ...]
    for_you: Recommendations
    requests: tuple[JoinRequest, ...]
    undelivered: tuple[Undelivered, ...]
    troubled_channels: tuple[TroubledChannel, ...]
    reminders: bool
    digest_frequency: DigestFrequency
    is_workspace_admin: bool
