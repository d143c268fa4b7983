"""What the digests read: the news of networks over a period."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from bot.domain import (
    DigestSubject,
)
from storage.models import (
    Digest,
    Event,
    Membership,
    Signal,
)
from storage.repositories.sql import insert_many_ignoring_duplicates


class Digests:
    def __init__(self, session: Session) -> None:
        self.session = session

    def activity(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> dict[int, tuple[int, int, int]]:
        """Per network, how many joined, how many events were announced and how many signals
        were saved in [start, end); networks where nothing happened are left out."""
        found: dict[int, list[int]] = {}
        for column, (table_network, created) in enumerate(
            (
                (Membership.network_id, Membership.joined_at),
                (Event.network_id, Event.created_at),
                (Signal.network_id, Signal.created_at),
            )
        ):
            rows = self.session.execute(
                select(table_network, func.count())
                .where(table_network.in_(network_ids), created >= start, created < end)
                .group_by(table_network)
            )
            for network_id, count in rows:
                found.setdefault(network_id, [0, 0, 0])[column] = count
        return {network_id: (a, b, c) for network_id, (a, b, c) in found.items()}

    def decide(
        self,
        subject: DigestSubject,
        period_start: datetime,
        period_end: datetime,
        decisions: Sequence[tuple[int, int, bool]],
        now: datetime,
    ) -> set[int]:
        """Record the period's decisions, (workspace id, subject id, queued) each; the subjects
        this transaction decided first. Another worker's decisions stand: nothing may be queued
        for the others."""
        rows = [
            {
                "workspace_id": workspace_id,
                "subject": subject,
                "subject_id": subject_id,
                "period_start": period_start,
                "period_end": period_end,
                "queued": queued,
                "created_at": now,
            }
            for workspace_id, subject_id, queued in decisions
        ]
        return set(
            insert_many_ignoring_duplicates(
                self.session, Digest.__table__, rows, Digest.__table__.c.subject_id
            )
        )
