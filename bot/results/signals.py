"""Weak signals as their messages and listings show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.results.refs import NetworkRef, PersonRef


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
