"""A network's report for its regular evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.results.refs import NetworkRef


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
    # Of those who joined in the period, how many did so soon after it was suggested to them.
    joined_through_suggestion: int = 0
    # Members at the end from other organisations (Slack Connect), and how many organisations.
    external_members: int = 0
    external_organisations: int = 0
