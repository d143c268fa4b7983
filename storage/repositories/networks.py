"""Networks, and whose channel digest is due."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.domain import (
    DigestSchedule,
    DigestSubject,
)
from storage.models import (
    Event,
    Network,
    Poll,
    Signal,
    Workspace,
)
from storage.repositories.sql import digest_decided, is_postgresql


class DueDigest(NamedTuple):
    """A network whose channel digest is yet to be decided."""

    network_id: int
    workspace_id: int
    channel_id: str


def is_public() -> ColumnElement[bool]:
    """A network that the web directory shows: published, listed and not archived."""
    return Network.public


class Networks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_in(self, workspace_id: int) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(Network.workspace_id == workspace_id).order_by(Network.slug)
        ).all()

    def published(self) -> Sequence[tuple[Network, Workspace]]:
        """Every network on the web directory (published, listed, not archived), of every
        workspace that has not removed the app, with its workspace."""
        rows = self.session.execute(
            select(Network, Workspace)
            .join(Workspace, Workspace.id == Network.workspace_id)
            .where(is_public(), Workspace.uninstalled_at.is_(None))
            .order_by(Network.id)
        )
        return [(network, workspace) for network, workspace in rows]

    def older_published_with_slug(self, network: Network) -> bool:
        """Whether a network published before `network` (of any workspace) has its short name."""
        return (
            self.session.scalar(
                select(Network.id)
                .join(Workspace, Workspace.id == Network.workspace_id)
                .where(
                    is_public(),
                    Workspace.uninstalled_at.is_(None),
                    Network.slug == network.slug,
                    Network.id < network.id,
                )
                .limit(1)
            )
            is not None
        )

    def by_id(self, workspace_id: int, network_id: int) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.id == network_id)
        )

    def due_digests(
        self, schedule: DigestSchedule, period_start: datetime, after_id: int, limit: int
    ) -> list[DueDigest]:
        """Networks after `after_id`, with a channel and this digest schedule, whose digest for
        the period starting at `period_start` is yet to be decided; by id."""
        rows = self.session.execute(
            select(Network.id, Network.workspace_id, Network.channel_id)
            .where(
                Network.id > after_id,
                Network.digest_schedule == schedule,
                Network.channel_id.is_not(None),
                Network.archived.is_(False),
                ~digest_decided(DigestSubject.NETWORK, Network.id, period_start),
            )
            .order_by(Network.id)
            .limit(limit)
        )
        return [DueDigest(*row) for row in rows]

    def by_ids(self, workspace_id: int, network_ids: Collection[int]) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(Network.workspace_id == workspace_id, Network.id.in_(network_ids))
        ).all()

    def by_slug(self, workspace_id: int, slug: str) -> Network | None:
        return self.session.scalar(
            select(Network).where(Network.workspace_id == workspace_id, Network.slug == slug)
        )

    def by_channel(self, workspace_id: int, channel_id: str) -> Sequence[Network]:
        return self.session.scalars(
            select(Network).where(
                Network.workspace_id == workspace_id,
                Network.channel_id == channel_id,
                Network.archived.is_(False),
            )
        ).all()

    def linked_to(self, workspace_id: int, channel_id: str) -> Sequence[Network]:
        """Every network linked to a channel, the archived too."""
        return self.session.scalars(
            select(Network).where(
                Network.workspace_id == workspace_id, Network.channel_id == channel_id
            )
        ).all()

    def with_channel_trouble(self, network_ids: Sequence[int], limit: int) -> Sequence[Network]:
        """Up to `limit` of these networks, not archived, whose linked channel is in trouble,
        the newest trouble first."""
        return self.session.scalars(
            select(Network)
            .where(
                Network.id.in_(network_ids),
                Network.channel_trouble.is_not(None),
                Network.archived.is_(False),
            )
            .order_by(Network.channel_trouble_at.desc(), Network.id)
            .limit(limit)
        ).all()

    def move_channel(self, workspace_id: int, old_id: str, new_id: str) -> None:
        """Events, polls and signals posted in a channel that got a new id, under the new one."""
        for model in (Event, Poll, Signal):
            self.session.execute(
                update(model)
                .where(model.workspace_id == workspace_id, model.channel_id == old_id)
                .values(channel_id=new_id)
            )

    def by_calendar_token(self, token: str) -> Network | None:
        return self.session.scalar(select(Network).where(Network.calendar_token == token))

    def lock(self, network: Network) -> None:
        """Serialise membership changes of one network (SQLite's writes are serial already)."""
        if is_postgresql(self.session):
            self.session.execute(
                select(Network.id).where(Network.id == network.id).with_for_update()
            )

    def add(self, network: Network) -> Network:
        self.session.add(network)
        self.session.flush()
        return network
