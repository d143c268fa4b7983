"""Where the work after a platform's HTTP answer runs (Slack's ack, Teams' 200), for every
platform alike.

A work item is a module-level function `work(runtime, *payload)` with a plain, picklable payload,
so that it can run in this process (tests, the demo) or in `verkosto serve`'s child process
(`handlers/child_process.py`), which runs it with its own runtime of the platform that submitted
it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, ClassVar, Protocol

from bot.domain import Platform

log = logging.getLogger(__name__)

Work = Callable[..., None]


class Runtime(Protocol):
    """What a platform's handlers share; `PLATFORM` says whose."""

    PLATFORM: ClassVar[Platform]


class Background(Protocol):
    def submit(self, runtime: Runtime | None, work: Work, *args: Any) -> None: ...


def run_guarded(work: Work, runtime: Runtime | None, *args: Any) -> None:
    """Run one work item; a failure is logged, since nobody waits for its result."""
    try:
        work(runtime, *args)
    except Exception:
        log.exception("work after the answer failed: %s", getattr(work, "__qualname__", work))


class InThisProcess:
    """Runs work on an executor of this process: a thread pool, or at once in tests."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    def submit(self, runtime: Runtime | None, work: Work, *args: Any) -> None:
        self._executor.submit(run_guarded, work, runtime, *args)
