"""What the digests tell: a network's news, and what someone who was away missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.results.recommendations import Recommendation
from bot.results.refs import NetworkRef, PersonRef


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
