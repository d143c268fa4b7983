"""Networks worth knowing, with the reasons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.results.networks import NetworkSummary
from bot.results.refs import NetworkRef


@dataclass(frozen=True)
class Reason:
    """Why a network is recommended, in data: `topics` (the shared keywords), `members` (how
    many members are in both), `scope` (who else takes part in both), `organisation` (the same
    coordinating organisation), `text` (their descriptions are alike) or `taken_up` (how many
    people took it up when it was suggested to them)."""

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
