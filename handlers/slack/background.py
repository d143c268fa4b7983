"""Where listeners' work after the ack runs.

A work item is a module-level function `work(runtime, *payload)` with a plain, picklable payload,
so that it can run in this process (tests, the demo) or in a child process. `verkosto serve` uses
a child process at a lower scheduling priority for each web process: the operating system then
serves acks first, and a burst of work can never keep Slack waiting for its 3-second ack.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from bot.settings import Settings

if TYPE_CHECKING:
    from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)

Work = Callable[..., None]
NICENESS = 19
READY_TIMEOUT_SECONDS = 60


class Background(Protocol):
    def submit(self, runtime: Runtime, work: Work, *args: Any) -> None: ...


def run_guarded(work: Work, runtime: Runtime, *args: Any) -> None:
    """Run one work item; a failure is logged, since nobody waits for its result."""
    try:
        work(runtime, *args)
    except Exception:
        log.exception("work after the ack failed: %s", getattr(work, "__qualname__", work))


class InThisProcess:
    """Runs work on an executor of this process: a thread pool, or at once in tests."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    def submit(self, runtime: Runtime, work: Work, *args: Any) -> None:
        self._executor.submit(run_guarded, work, runtime, *args)


class InChildProcess:
    """A child process, at lower priority, that runs work on its own threads.

    It is spawned rather than forked (the web process has threads) and builds its own services
    from the same settings. If it dies it is started again on the next submission.
    """

    def __init__(self, settings: Settings, threads: int) -> None:
        self._settings = settings.model_dump()
        self._threads = threads
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._queue: Any = None

    def start(self) -> None:
        """Start the child and wait until it can take work."""
        with self._lock:
            self._queue = self._context.Queue()
            ready = self._context.Event()
            self._process = self._context.Process(
                target=_child_main,
                args=(self._settings, self._queue, self._threads, ready),
                name="verkosto-after-ack",
                daemon=True,
            )
            self._process.start()
            if not ready.wait(READY_TIMEOUT_SECONDS):
                raise RuntimeError("the background process did not start")

    def submit(self, runtime: Runtime, work: Work, *args: Any) -> None:
        if self._process is None or not self._process.is_alive():
            log.error("the background process is gone; starting it again")
            self.start()
        self._queue.put((work, args))

    def stop(self, timeout: float = 20) -> None:
        """Let the child finish what it has, then end it."""
        if self._process is None or not self._process.is_alive():
            return
        self._queue.put(None)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()


def _child_main(settings_values: dict[str, Any], queue: Any, threads: int, ready: Any) -> None:
    from bot.services import Services
    from handlers.slack.client import web_client
    from handlers.slack.runtime import Runtime
    from storage.database import Database

    os.nice(NICENESS)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings(**settings_values)
    pool = ThreadPoolExecutor(threads, thread_name_prefix="after-ack")
    background = InThisProcess(pool)
    runtime = Runtime(
        settings,
        Services.build(settings, Database(settings.database_url)),
        web_client(settings),
        background,
    )
    ready.set()
    while (item := queue.get()) is not None:
        work, args = item
        background.submit(runtime, work, *args)
    pool.shutdown(wait=True)
