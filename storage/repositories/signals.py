"""Weak signals and who seconded them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    select,
)
from sqlalchemy.orm import Session, joinedload

from storage.models import (
    Signal,
    SignalSecond,
)
from storage.repositories.sql import insert_ignoring_duplicates


class Signals:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, signal: Signal) -> Signal:
        self.session.add(signal)
        self.session.flush()
        return signal

    def by_id(self, workspace_id: int, signal_id: int) -> Signal | None:
        return self.session.scalar(
            select(Signal)
            .options(joinedload(Signal.network), joinedload(Signal.author))
            .where(Signal.workspace_id == workspace_id, Signal.id == signal_id)
        )

    def by_source(self, network_id: int, conversation: str, ref: str) -> Signal | None:
        """The signal saved from one message into one network, if it was."""
        return self.session.scalar(
            select(Signal).where(
                Signal.network_id == network_id,
                Signal.source_conversation == conversation,
                Signal.source_ref == ref,
            )
        )

    def of_network(self, network_id: int, limit: int | None = None) -> Sequence[Signal]:
        """A network's signals, newest first."""
        query = (
            select(Signal)
            .options(joinedload(Signal.author))
            .where(Signal.network_id == network_id)
            .order_by(Signal.created_at.desc(), Signal.id.desc())
        )
        return self.session.scalars(query.limit(limit) if limit else query).all()

    def count(self, network_id: int) -> int:
        return self.session.scalar(select(func.count()).where(Signal.network_id == network_id)) or 0

    def between(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> list[tuple[Signal, int]]:
        """The networks' signals saved in [start, end), each with its count of "+1"s."""
        seconds = func.count(SignalSecond.person_id)
        rows = self.session.execute(
            select(Signal, seconds)
            .outerjoin(SignalSecond, SignalSecond.signal_id == Signal.id)
            .where(
                Signal.network_id.in_(network_ids),
                Signal.created_at >= start,
                Signal.created_at < end,
            )
            .group_by(Signal.id)
            .order_by(seconds.desc(), Signal.created_at, Signal.id)
        ).all()
        return [(signal, count) for signal, count in rows]

    def seconds(self, signal_ids: Collection[int]) -> dict[int, int]:
        """How many people said they saw each signal too."""
        rows = self.session.execute(
            select(SignalSecond.signal_id, func.count())
            .where(SignalSecond.signal_id.in_(signal_ids))
            .group_by(SignalSecond.signal_id)
        )
        return {signal_id: count for signal_id, count in rows}

    def seconded_by(self, person_id: int, signal_ids: Collection[int]) -> set[int]:
        return set(
            self.session.scalars(
                select(SignalSecond.signal_id).where(
                    SignalSecond.person_id == person_id, SignalSecond.signal_id.in_(signal_ids)
                )
            )
        )

    def second(self, signal_id: int, person_id: int, now: datetime) -> bool:
        """Add a person's +1; False when they had given it already."""
        values = {"signal_id": signal_id, "person_id": person_id, "created_at": now}
        return insert_ignoring_duplicates(self.session, SignalSecond.__table__, values)

    def take_back(self, signal_id: int, person_id: int) -> None:
        self.session.execute(
            delete(SignalSecond).where(
                SignalSecond.signal_id == signal_id, SignalSecond.person_id == person_id
            )
        )
