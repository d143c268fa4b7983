"""The outbox: messages to send, claimed by one sender at a time."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    case,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session, joinedload

from bot.domain import Delivery, MessageKind, Platform, recipient_kind
from storage.models import (
    OutboxMessage,
    Workspace,
)
from storage.repositories.sql import (
    claimable,
    dialect_insert,
    insert_ignoring_duplicates,
    insert_many_ignoring_duplicates,
)


def _new_message(
    workspace_id: int,
    network_id: int | None,
    key: str,
    kind: MessageKind,
    recipient: str,
    payload: dict[str, Any] | None,
    due_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """An outbox row's values as first queued."""
    return {
        "workspace_id": workspace_id,
        "network_id": network_id,
        "key": key,
        "kind": kind,
        "recipient": recipient,
        "recipient_kind": recipient_kind(kind),
        "payload": payload or {},
        "state": Delivery.PENDING,
        "due_at": due_at,
        "attempts": 0,
        "rearm": False,
        "created_at": now,
    }


class Outbox:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The ids of messages queued or re-armed through this store, by key.
        self._ids: dict[str, int] = {}

    def put(
        self,
        *,
        workspace_id: int,
        key: str,
        kind: MessageKind,
        recipient: str,
        due_at: datetime,
        now: datetime,
        network_id: int | None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Queue a message about a network (None: about a person alone) unless one with the
        same key was queued before; True when queued."""
        values = _new_message(workspace_id, network_id, key, kind, recipient, payload, due_at, now)
        return insert_ignoring_duplicates(self.session, OutboxMessage.__table__, values)

    def backlog(self, now: datetime) -> tuple[int, datetime | None, int]:
        """How many messages are due and wait to be sent (or are being sent), since when the
        oldest of them has been due, and how many failed for good. Messages queued for later
        (an announcement's refresh when answers close) are not waiting yet."""
        waiting = OutboxMessage.state.in_((Delivery.PENDING, Delivery.SENDING)) & (
            OutboxMessage.due_at <= now
        )
        count, oldest = self.session.execute(
            select(func.count(), func.min(OutboxMessage.due_at)).where(waiting)
        ).one()
        failed = self.session.scalar(
            select(func.count()).where(OutboxMessage.state == Delivery.FAILED)
        )
        return count, oldest, failed or 0

    def put_many(self, messages: Sequence[dict[str, Any]], now: datetime) -> int:
        """Queue messages (each: workspace_id, network_id, key, kind, recipient, payload), due
        now, in one statement; those whose key was queued before are skipped. How many were
        queued."""
        rows = [_new_message(**message, due_at=now, now=now) for message in messages]
        table = OutboxMessage.__table__
        return len(insert_many_ignoring_duplicates(self.session, table, rows, table.c.id))

    def put_or_rearm(
        self,
        *,
        workspace_id: int,
        key: str,
        kind: MessageKind,
        recipient: str,
        now: datetime,
        network_id: int | None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Queue a message that shows the current state of something (an announcement's
        counts): sent again if it was sent already, and once more if it is being sent now.

        One statement, since every answer to a busy announcement runs it on the same row."""
        table = OutboxMessage.__table__
        sending = OutboxMessage.state == Delivery.SENDING
        statement = (
            dialect_insert(self.session)(table)
            .values(_new_message(workspace_id, network_id, key, kind, recipient, payload, now, now))
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "rearm": sending,
                    "state": case((sending, Delivery.SENDING), else_=Delivery.PENDING),
                    "due_at": now,
                    "attempts": case((sending, OutboxMessage.attempts), else_=0),
                },
            )
            .returning(table.c.id)
        )
        self._ids[key] = self.session.execute(statement).scalar_one()

    def claim(
        self,
        now: datetime,
        lease: timedelta,
        limit: int,
        ids: Sequence[int] | None = None,
        refresh_spacing: timedelta = timedelta(0),
        platforms: Collection[Platform] | None = None,
    ) -> list[tuple[OutboxMessage, bool]]:
        """Take due messages for sending: pending ones, and ones whose sender's lease ran out
        (it stopped half-way), each with whether it was interrupted so. The lease keeps other
        senders off them until it ends. A message sent before (a refresh) is due again only
        `refresh_spacing` after it was last sent. With `platforms`, only messages in the
        workspaces on those platforms."""
        due = (OutboxMessage.state == Delivery.PENDING) | (
            (OutboxMessage.state == Delivery.SENDING) & (OutboxMessage.lease_until <= now)
        )
        rested = OutboxMessage.sent_at.is_(None) | (OutboxMessage.sent_at <= now - refresh_spacing)
        query = select(OutboxMessage).where(due, rested, OutboxMessage.due_at <= now)
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        if platforms is not None:
            on_platforms = select(Workspace.id).where(Workspace.platform.in_(platforms))
            query = query.where(OutboxMessage.workspace_id.in_(on_platforms))
        query = query.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        rows = self.session.scalars(claimable(self.session, query)).all()
        claimed = [(row, row.state is Delivery.SENDING) for row in rows]
        for row in rows:
            row.state = Delivery.SENDING
            row.lease_until = now + lease
            row.attempts += 1
        self.session.flush()
        return claimed

    def failed_in(
        self, network_ids: Collection[int], since: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Messages about these networks that failed for good, last due since `since`, newest
        first."""
        return self.session.scalars(
            select(OutboxMessage)
            .options(joinedload(OutboxMessage.network))
            .where(
                OutboxMessage.network_id.in_(network_ids),
                OutboxMessage.state == Delivery.FAILED,
                OutboxMessage.due_at >= since,
            )
            .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        ).all()

    def by_key(self, key: str) -> OutboxMessage | None:
        return self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    def sent_with_prefix(self, key_prefix: str) -> Sequence[OutboxMessage]:
        """Messages already sent whose key starts with `key_prefix` (a request's notices)."""
        return self.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.key.startswith(key_prefix, autoescape=True),
                OutboxMessage.state == Delivery.SENT,
            )
            .order_by(OutboxMessage.id)
        ).all()

    def ids_by_keys(self, keys: Sequence[str]) -> list[int]:
        """The ids of the messages with these keys; those queued through this store are known
        without asking the database."""
        unknown = [key for key in keys if key not in self._ids]
        found = [self._ids[key] for key in keys if key in self._ids]
        if unknown:
            query = select(OutboxMessage.id).where(OutboxMessage.key.in_(unknown))
            found += self.session.scalars(query)
        return found

    def finish(
        self, message_id: int, conversation: str | None, ref: str | None, now: datetime
    ) -> bool:
        """Sent: keep where it went. A message that changed meanwhile is due once more, and
        True is returned."""
        rearmed = self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=case((OutboxMessage.rearm, Delivery.PENDING), else_=Delivery.SENT),
                rearm=False,
                lease_until=None,
                last_error=None,
                sent_conversation=func.coalesce(conversation, OutboxMessage.sent_conversation),
                sent_ref=func.coalesce(ref, OutboxMessage.sent_ref),
                sent_at=now,
            )
            .returning(OutboxMessage.state)
        ).scalar_one()
        return rearmed is Delivery.PENDING

    def postpone(
        self, message_id: int, until: datetime, error: str, interrupted: bool = False
    ) -> None:
        """Not sent this time: due again at `until` (rendered afresh then, so no re-arming).
        An `interrupted` message may have reached the platform: it is left as a sender's whose
        lease ends at `until`, so that the next sender looks for it before sending again."""
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=Delivery.SENDING if interrupted else Delivery.PENDING,
                due_at=until,
                lease_until=until if interrupted else None,
                rearm=False,
                last_error=error,
            )
        )

    def fail(self, message_id: int, error: str) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state=Delivery.FAILED, lease_until=None, rearm=False, last_error=error)
        )

    def cancel_pending(self, key_prefix: str) -> None:
        """Drop queued messages whose key starts with `key_prefix` (an event's reminders)."""
        self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.key.startswith(key_prefix, autoescape=True),
                OutboxMessage.state == Delivery.PENDING,
            )
            .values(state=Delivery.CANCELLED)
        )
