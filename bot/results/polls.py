"""Polls as their messages show them, and what voting comes to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import (
    PollKind,
)
from bot.results.refs import NetworkRef


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
class WaitingPoll:
    """An open poll in one of the person's networks that waits for their vote."""

    network: NetworkRef
    id: int
    question: str
    kind: PollKind
    options: tuple[tuple[int, str], ...]
    closes_at: datetime | None
