"""What `GET /metrics` reports: the outbox, read from the database, and the requests acked but
not yet being answered.

Each web process hands its answering to its own after-ack process. With several web processes,
each writes its queue to prometheus_client's multiprocess files (PROMETHEUS_MULTIPROC_DIR, which
`verkosto serve` sets before anything imports prometheus_client), so that whichever process
answers a scrape reports them all: the waiting summed, the oldest the oldest of all.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from bot.services.outbox import Backlog


@dataclass(frozen=True)
class WaitingWork:
    """Work handed over but not yet begun: how many items, and how long the oldest has waited."""

    count: int = 0
    oldest_seconds: float = 0.0


# How often a web process writes its queue for the others to read.
PUBLISH_SECONDS = 1.0

ANSWERS_WAITING = Gauge(
    "verkosto_answers_waiting",
    "Requests acked whose answering has not begun.",
    multiprocess_mode="livesum",
    registry=None,
)
ANSWERS_OLDEST = Gauge(
    "verkosto_answers_oldest_waiting_seconds",
    "How long the oldest of them has waited.",
    multiprocess_mode="livemax",
    registry=None,
)


class _OutboxCollector(Collector):
    """The outbox's backlog, read from the database at each scrape: every process answers the
    same, whichever one Prometheus reaches."""

    def __init__(self, backlog: Callable[[], Backlog]) -> None:
        self._backlog = backlog

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._backlog()
        yield GaugeMetricFamily(
            "verkosto_outbox_waiting", "Messages waiting to be sent.", value=now.waiting
        )
        yield GaugeMetricFamily(
            "verkosto_outbox_oldest_due_seconds",
            "How long the oldest waiting message has been due.",
            value=now.oldest_due_seconds,
        )
        yield GaugeMetricFamily(
            "verkosto_outbox_failed", "Messages that failed for good.", value=now.failed
        )


def publish_answers(backlog: Callable[[], WaitingWork]) -> None:
    """Write this process's queue to the gauges."""
    now = backlog()
    ANSWERS_WAITING.set(now.count)
    ANSWERS_OLDEST.set(now.oldest_seconds)


def _keep_publishing(backlog: Callable[[], WaitingWork]) -> None:
    while True:
        time.sleep(PUBLISH_SECONDS)
        publish_answers(backlog)


def _shared() -> bool:
    """Whether the web processes share their metrics through files."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def forget_process(pid: int) -> None:
    """A web process has ended: its queue no longer counts."""
    if _shared():
        mark_process_dead(pid)


def metrics_registry(
    outbox: Callable[[], Backlog] | None,
    answers: Callable[[], WaitingWork] | None,
) -> CollectorRegistry:
    """What `GET /metrics` collects. With `answers`, this process's queue is published every
    `PUBLISH_SECONDS` from now on (call `publish_answers` before a scrape for the latest)."""
    registry = CollectorRegistry(auto_describe=False)
    if outbox is not None:
        registry.register(_OutboxCollector(outbox))
    if answers is not None:
        threading.Thread(
            target=_keep_publishing, args=(answers,), name="verkosto-metrics", daemon=True
        ).start()
        if _shared():
            MultiProcessCollector(registry)
        else:
            registry.register(ANSWERS_WAITING)
            registry.register(ANSWERS_OLDEST)
    return registry
