"""`verkosto worker`: the scheduler process.

APScheduler runs the jobs on a timer, with the jobs kept in the database (a persistent job
store). Each job is an importable function that takes no live objects: it finds the services
and the platform's delivery in this module's `Context`, set up once when the worker starts.
Several workers may run at once: reminders and outbox rows are claimed, so each is done once.
"""

from __future__ import annotations

import logging
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.platforms import ServedPlatforms
from bot.results.privacy import Pruned
from bot.services import Services
from bot.services.outbox import DrainReport

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
# (job id, function, every how many seconds)
JOBS = (
    ("fire-reminders", "bot.worker:fire_reminders", 30),
    ("close-polls", "bot.worker:close_polls", 30),
    ("ask-feedback", "bot.worker:ask_feedback", 60),
    ("queue-digests", "bot.worker:queue_digests", 60),
    ("send-outbox", "bot.worker:send_outbox", 3),
    ("refresh-profiles", "bot.worker:refresh_profiles", 60),
    ("prune", "bot.worker:prune", 3600),
)
# Profiles read again each minute: Slack's users.info allows about 100 calls a minute, and
# requests need some of them for the people they meet for the first time.
PROFILES_PER_MINUTE = 50


@dataclass(frozen=True)
class Context:
    services: Services
    served: ServedPlatforms


_context: Context | None = None


def configure(services: Services, served: ServedPlatforms) -> None:
    """Give the jobs what they work with; called once per worker process."""
    global _context
    _context = Context(services, served)


def _current() -> Context:
    if _context is None:
        raise RuntimeError("the worker is not configured; call bot.worker.configure first")
    return _context


def fire_reminders() -> int:
    """Queue the reminders whose time has come; how many messages were queued."""
    return _current().services.reminders.fire_due()


def close_polls() -> int:
    """Close the polls whose time has come; how many."""
    return _current().services.polls.close_due()


def ask_feedback() -> int:
    """Ask the people who went to the events that ended how it was; about how many events."""
    return _current().services.polls.ask_feedback()


def queue_digests() -> int:
    """Decide the digests that are due and queue those with something to say; how many."""
    return _current().services.digests.queue_due()


def prune() -> Pruned:
    """Let go of what is older than the retention period, and of files handed as links whose
    day is over."""
    services = _current().services
    services.handed_files.let_go()
    return services.privacy.prune()


def send_outbox() -> DrainReport:
    """Send every outbox message that is due."""
    context = _current()
    served = context.served
    return context.services.outbox.drain(served.deliver, platforms=served.platforms)


def refresh_profiles() -> int:
    """Read again the day-old profiles of people who use the bot, and end the memberships of
    those whose accounts are gone (in case the event saying so was lost); how many were read."""
    context = _current()
    services = context.services
    loaders = context.served.profile_loaders
    round_ = services.people.refresh_profiles(loaders, PROFILES_PER_MINUTE)
    for team_id, user_id in round_.gone:
        services.memberships.deactivated(team_id, user_id)
    return round_.read


def run_due() -> tuple[int, DrainReport]:
    """Everything that is due now, once: reminders queued, polls closed, feedback asked for,
    digests queued, the outbox emptied, profiles read again, then old records let go. The
    number of reminder messages queued, and what was sent."""
    queued = fire_reminders()
    close_polls()
    ask_feedback()
    queue_digests()
    sent = send_outbox()
    refresh_profiles()
    prune()
    return queued, sent


def build_scheduler(services: Services, timezone: str) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=timezone,
        jobstores={"default": SQLAlchemyJobStore(engine=services.db.engine, tablename=JOB_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    # Each job runs at once on start, so that a worker back from a pause catches up.
    for job_id, function, seconds in JOBS:
        scheduler.add_job(
            function,
            "interval",
            seconds=seconds,
            id=job_id,
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )
    return scheduler


def run(
    services: Services,
    served: ServedPlatforms,
    timezone: str,
    once: bool = False,
) -> None:
    """Run the jobs until stopped; with `once`, do what is due now and return."""
    configure(services, served)
    if once:
        queued, report = run_due()
        log.info(
            "reminders queued: %d; messages sent: %d, postponed: %d, failed: %d",
            queued,
            report.sent,
            report.postponed,
            len(report.failed),
        )
        return
    scheduler = build_scheduler(services, timezone)

    def stop(signum: int, frame: Any) -> None:
        log.info("stopping the worker")
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    log.info("worker started: %s", ", ".join(job_id for job_id, _, _ in JOBS))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        log.info("worker stopped")
