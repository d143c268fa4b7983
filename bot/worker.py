"""`verkosto worker`: the scheduler process.

It starts APScheduler and waits. Reminders, poll closing, digests and the outbox add their jobs
here as they arrive; jobs take ids only and are importable functions, so they can be persisted.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.settings import Settings

log = logging.getLogger(__name__)


def build_scheduler(settings: Settings) -> BlockingScheduler:
    return BlockingScheduler(timezone=settings.verkosto_timezone)


def run(settings: Settings, once: bool = False) -> None:
    """Wait for scheduled work until stopped; with `once`, do what is due now and return."""
    scheduler = build_scheduler(settings)
    if once:
        log.info("nothing is scheduled yet; done")
        return

    def stop(signum: int, frame: Any) -> None:
        log.info("stopping the worker")
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    log.info("worker started; waiting for scheduled work")
    try:
        scheduler.start()
    except KeyboardInterrupt:
        log.info("worker stopped")
