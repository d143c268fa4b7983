"""The outbox: messages the bot sends on its own, claimed by one sender at a time, sent, and
marked with where they went; passing failures are retried later, lasting ones recorded."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.domain import Delivery, MessageKind, Platform, RecipientKind
from bot.results.home import Undelivered
from bot.services.mapping import network_ref
from storage.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50
RESTING_REMEMBERED = 1000
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 5
LONGEST_RETRY = timedelta(minutes=30)


@dataclass(frozen=True)
class OutboxItem:
    """A message to send: what kind, to whom (a channel or a person), about what (ids).

    `interrupted` says that a sender took it before and stopped without saying how it went:
    the message may have reached the platform, which the platform adapter checks first.
    """

    id: int
    workspace_id: int
    platform: Platform
    key: str
    kind: MessageKind
    recipient: str
    recipient_kind: RecipientKind
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    interrupted: bool = False


@dataclass(frozen=True)
class Sent:
    """Where the platform put a message, so that it can be updated later: the conversation,
    and the platform's own reference to the message there, which only the platform reads."""

    conversation: str | None = None
    ref: str | None = None


class RetryLater(Exception):
    """The platform could not take the message now (rate limit, outage); `after` in seconds
    when the platform said how long to wait. `maybe_sent` when the answer was lost (a timeout,
    a dropped connection, a server error): the platform may have taken the message, so the
    next attempt checks before sending again."""

    def __init__(self, reason: str, after: float | None = None, maybe_sent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after
        self.maybe_sent = maybe_sent


class Undeliverable(Exception):
    """The message can never be sent as it is (no such channel, the bot is not in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Deliver = Callable[[OutboxItem], Sent]
"""Sends one message on a platform; raises `RetryLater` or `Undeliverable`."""


@dataclass
class DrainReport:
    sent: int = 0
    postponed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Backlog:
    """What the outbox holds: messages waiting, how long the oldest has been due, failures."""

    waiting: int
    oldest_due_seconds: float
    failed: int


class OutboxService:
    """`refresh_spacing`: how long after a message was last sent it may be sent again (an
    announcement's counts, a poll's): a burst of answers makes a few updates, not hundreds,
    which Slack would rate-limit (chat.update allows about 50 a minute)."""

    def __init__(
        self, db: Database, clock: Clock, refresh_spacing: timedelta = timedelta(0)
    ) -> None:
        self._db = db
        self._clock = clock
        self._refresh_spacing = refresh_spacing
        # Messages a request asked to send and found resting (sent less than the spacing ago,
        # or being sent elsewhere), by id, with when this process may ask for them again: a
        # burst of answers to one announcement then asks a few times a second, not at each.
        # The worker, which drains everything due, does not look here.
        self._resting_until: dict[int, datetime] = {}
        self._resting_lock = threading.Lock()

    def backlog(self) -> Backlog:
        """The outbox as operators watch it (`GET /metrics`)."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            waiting, oldest, failed = store.outbox.backlog(now)
        due_for = (now - oldest).total_seconds() if oldest else 0.0
        return Backlog(waiting, max(due_for, 0.0), failed)

    def drain(
        self,
        deliver: Deliver,
        ids: Sequence[int] | None = None,
        batch: int = BATCH,
        platforms: Collection[Platform] | None = None,
    ) -> DrainReport:
        """Send what is due (only `ids`, when given; only in workspaces on `platforms`, when
        given) until nothing due is left."""
        report = DrainReport()
        if ids is not None:
            ids = self._not_resting(ids)
            if not ids:
                return report
        while True:
            items = self.claim(batch, ids, platforms)
            if ids is not None:
                self._resting(set(ids) - {item.id for item in items})
            changed_meanwhile = [item.id for item in items if self._send(deliver, item, report)]
            if ids is not None:
                # What changed while it was being sent goes out again now, not at the next tick.
                if not changed_meanwhile:
                    return report
                ids = changed_meanwhile
            elif len(items) < batch:
                return report

    def _not_resting(self, ids: Sequence[int]) -> list[int]:
        now = self._clock.now()
        with self._resting_lock:
            return [i for i in ids if i not in self._resting_until or self._resting_until[i] <= now]

    def _resting(self, ids: set[int]) -> None:
        quiet = self._refresh_spacing / 4
        if not ids or not quiet:
            return
        now = self._clock.now()
        with self._resting_lock:
            if len(self._resting_until) > RESTING_REMEMBERED:
                self._resting_until = {i: t for i, t in self._resting_until.items() if t > now}
            self._resting_until.update(dict.fromkeys(ids, now + quiet))

    def claim(
        self,
        limit: int,
        ids: Sequence[int] | None = None,
        platforms: Collection[Platform] | None = None,
    ) -> list[OutboxItem]:
        """Take due messages (of workspaces on `platforms`, when given); nobody else sends them
        until this sender's lease runs out."""
        with self._db.transaction() as store:
            claimed = store.outbox.claim(
                self._clock.now(), LEASE, limit, ids, self._refresh_spacing, platforms
            )
            on = store.workspaces.platforms_of({row.workspace_id for row, _ in claimed})
            return [
                OutboxItem(
                    id=row.id,
                    workspace_id=row.workspace_id,
                    platform=on[row.workspace_id],
                    key=row.key,
                    kind=MessageKind(row.kind),
                    recipient=row.recipient,
                    recipient_kind=RecipientKind(row.recipient_kind),
                    payload=dict(row.payload),
                    attempts=row.attempts,
                    created_at=row.created_at,
                    interrupted=interrupted,
                )
                for row, interrupted in claimed
            ]

    def undelivered(
        self, network_ids: Sequence[int], since: datetime, limit: int
    ) -> tuple[Undelivered, ...]:
        """What could not be sent about these networks since `since`, newest first."""
        if not network_ids:
            return ()
        with self._db.snapshot() as store:
            return tuple(
                Undelivered(
                    network=network_ref(row.network),
                    kind=MessageKind(row.kind),
                    recipient=row.recipient,
                    reason=row.last_error or "",
                    due_at=row.due_at,
                )
                for row in store.outbox.failed_in(network_ids, since, limit)
                if row.network is not None
            )

    def delivery_of(self, key: str) -> tuple[Delivery | None, Sent | None]:
        """How the message with `key` stands (None if never queued), and where it went."""
        with self._db.snapshot() as store:
            row = store.outbox.by_key(key)
            if row is None:
                return None, None
            where = Sent(row.sent_conversation, row.sent_ref) if row.sent_ref else None
            return row.state, where

    def _send(self, deliver: Deliver, item: OutboxItem, report: DrainReport) -> bool:
        """Send one message; True when it changed while being sent and is due again."""
        try:
            result = deliver(item)
        except Undeliverable as problem:
            self._fail(item, problem.reason, report)
            return False
        except RetryLater as problem:
            self._retry(item, problem.reason, problem.after, report, problem.maybe_sent)
            return False
        except Exception as error:
            log.exception("sending %s failed", item.key)
            self._retry(item, type(error).__name__, None, report, maybe_sent=True)
            return False
        with self._db.transaction() as store:
            due_again = store.outbox.finish(
                item.id, result.conversation, result.ref, self._clock.now()
            )
        report.sent += 1
        return due_again

    def _retry(
        self,
        item: OutboxItem,
        reason: str,
        after: float | None,
        report: DrainReport,
        maybe_sent: bool = False,
    ) -> None:
        if item.attempts >= MAX_ATTEMPTS:
            self._fail(item, f"{reason} (after {item.attempts} attempts)", report)
            return
        wait = timedelta(seconds=after) if after is not None else self.backoff(item.attempts)
        with self._db.transaction() as store:
            store.outbox.postpone(
                item.id, self._clock.now() + wait, reason[:200], interrupted=maybe_sent
            )
        report.postponed += 1
        log.info("%s postponed by %s: %s", item.key, wait, reason)

    def _fail(self, item: OutboxItem, reason: str, report: DrainReport) -> None:
        with self._db.transaction() as store:
            store.outbox.fail(item.id, reason[:200])
        report.failed.append((item.key, reason))
        log.warning("%s could not be sent: %s", item.key, reason)

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        """5 s, 10 s, 20 s ... up to half an hour."""
        return min(
            timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)), LONGEST_RETRY
        )
