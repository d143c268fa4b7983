"""The child process of each `verkosto serve` web process that runs the work after the answers.

It is started and warmed before the web process takes requests, and it runs as a batch process,
so that the operating system lets acks go first without ever starving the answers (see
`answering_priority`). It holds a runtime of its own for each platform served.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from bot.domain import Platform
from bot.settings import Settings
from handlers.background import Background, InThisProcess, Runtime, Work, run_guarded
from handlers.web.metrics import WaitingWork

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 60


class InChildProcess:
    """A child process that runs work on its own threads, at the answering priority.

    It is spawned rather than forked (the web process has threads), builds its own services from
    the same settings and warms them up before it says it is ready. If it dies it is started
    again on the next submission or readiness check; what it held is lost, and logged.
    """

    def __init__(
        self, settings: Settings, threads: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._settings = settings.model_dump()
        self._threads = threads
        self._clock = clock
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._queue: Any = None
        self._ready: Any = None
        # When each item not yet begun was handed over; the child counts the items it begins.
        self._handed_over: deque[float] = deque()
        self._begun: Any = None
        self._begun_seen = 0

    def start(self) -> None:
        """Start the child; it takes work at once and runs it once it is ready."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        self._count_begun()
        lost = len(self._handed_over)
        if lost:
            log.error("the background process ended with %d items not begun", lost)
        self._handed_over.clear()
        self._queue = self._context.Queue()
        self._ready = self._context.Event()
        self._begun = self._context.Value("q", 0)
        self._begun_seen = 0
        self._process = self._context.Process(
            target=_child_main,
            args=(self._settings, self._queue, self._threads, self._ready, self._begun),
            name="verkosto-after-ack",
            daemon=True,
        )
        self._process.start()

    def _start_if_gone(self) -> None:
        """Start the child again if it has died (with the lock held)."""
        if self._process is None or not self._process.is_alive():
            log.error("the background process is gone; starting it again")
            self._start()

    def wait_until_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Block until the child has warmed up; raise if it does not within `timeout`."""
        if not self._ready.wait(timeout):
            raise RuntimeError("the background process did not start")

    def is_ready(self) -> bool:
        """Whether the child is alive and warm. A dead child is started again here too: a
        process that says it is not ready gets no requests, so it must not wait for one."""
        with self._lock:
            self._start_if_gone()
            return self._ready.is_set()

    def submit(self, runtime: Runtime | None, work: Work, *args: Any) -> None:
        platform = runtime.PLATFORM if runtime is not None else None
        with self._lock:
            self._start_if_gone()
            self._count_begun()
            self._handed_over.append(self._clock())
            self._queue.put((platform, work, args))

    def waiting(self) -> WaitingWork:
        """What is waiting for the child now."""
        with self._lock:
            self._count_begun()
            if not self._handed_over:
                return WaitingWork()
            return WaitingWork(len(self._handed_over), self._clock() - self._handed_over[0])

    def _count_begun(self) -> None:
        """Forget the items the child has begun since the last look (called with the lock)."""
        if self._begun is None:
            return
        begun = self._begun.value
        while self._begun_seen < begun and self._handed_over:
            self._handed_over.popleft()
            self._begun_seen += 1

    def stop(self, timeout: float = 20) -> None:
        """Let the child finish what it has, then end it."""
        if self._process is None or not self._process.is_alive():
            return
        self._queue.put(None)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()


def answering_priority() -> None:
    """Make this process a batch process: it never preempts another when it wakes up, so acks
    go first, yet it keeps its full share of the processors against everything else running
    (a niceness would not: at 19 it got about 1.5 % of a processor beside two busy ones).
    benchmarks/cold_start.py and burst.py measure the alternatives."""
    if hasattr(os, "SCHED_BATCH"):
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def _child_main(
    settings_values: dict[str, Any], queue: Any, threads: int, ready: Any, begun: Any
) -> None:
    from bot.services import Services
    from handlers.warm_up import warm_up
    from storage.database import Database

    answering_priority()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings(**settings_values)
    pool = ThreadPoolExecutor(threads, thread_name_prefix="after-answer")
    services = Services.build(settings, Database(settings.database_url))
    runtimes = _runtimes(settings, services, InThisProcess(pool))
    warm_up(services, threads, settings.served_platforms())
    ready.set()

    def begin(platform: Platform | None, work: Work, *args: Any) -> None:
        with begun.get_lock():
            begun.value += 1
        run_guarded(work, runtimes[platform] if platform else None, *args)

    while (item := queue.get()) is not None:
        platform, work, args = item
        pool.submit(begin, platform, work, *args)
    pool.shutdown(wait=True)


def _runtimes(
    settings: Settings, services: Services, background: Background
) -> dict[Platform, Runtime]:
    """The child's own runtime for each platform the settings serve."""
    runtimes: dict[Platform, Runtime] = {}
    if settings.serves_slack():
        from handlers.slack.client import web_client
        from handlers.slack.runtime import Runtime as SlackRuntime

        slack = SlackRuntime(settings, services, web_client(settings), background)
        runtimes[Platform.SLACK] = slack
    if settings.serves_teams():
        from handlers.teams.runtime import TeamsRuntime

        runtimes[Platform.TEAMS] = TeamsRuntime(settings, services, background=background)
    return runtimes
