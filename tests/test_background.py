"""Work after the ack: held until the ack is sent, then run by a child process that lets acks
go first."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from bot.settings import Settings
from handlers.after_response import AfterResponse, ReleasedOnClose
from handlers.child_process import InChildProcess
from handlers.web.metrics import WaitingWork


class Recorder:
    def __init__(self) -> None:
        self.submitted: list[tuple] = []

    def submit(self, runtime, work, *args) -> None:
        self.submitted.append((work, args))


def test_work_submitted_while_answering_waits_until_the_response_is_closed() -> None:
    inner = Recorder()
    background = AfterResponse(inner)
    background.hold()
    background.submit(None, print, "answer")
    assert inner.submitted == []
    body = ReleasedOnClose([b"", b"ack"], background.release)
    assert b"".join(body) == b"ack"
    assert inner.submitted == []
    body.close()
    assert inner.submitted == [(print, ("answer",))]


def test_work_outside_a_request_goes_straight_through() -> None:
    inner = Recorder()
    AfterResponse(inner).submit(None, print, "now")
    assert inner.submitted == [(print, ("now",))]


def note_where_i_ran(runtime, path: str) -> None:
    """A work item: says which process ran it, how it is scheduled and at what niceness."""
    Path(path).write_text(f"{os.getpid()} {os.sched_getscheduler(0)} {os.nice(0)}")


def test_a_child_process_answers_as_a_batch_process_and_comes_back_if_it_dies(
    tmp_path, database_url, db
) -> None:
    settings = Settings(database_url=database_url, _env_file=None)
    child = InChildProcess(settings, threads=2)
    child.start()
    first = tmp_path / "first"
    child.submit(None, note_where_i_ran, str(first))
    child.stop()
    pid, policy, niceness = map(int, first.read_text().split())
    assert pid != os.getpid()
    # Acks go first (a batch process never preempts them), but answers keep a full share.
    assert (policy, niceness) == (os.SCHED_BATCH, os.nice(0))

    child.start()
    child._process.kill()
    child._process.join()
    second = tmp_path / "second"
    child.submit(None, note_where_i_ran, str(second))
    child.stop()
    assert int(second.read_text().split()[0]) not in (pid, os.getpid())


def test_work_is_counted_as_waiting_until_the_child_begins_it(tmp_path, database_url, db) -> None:
    now = [100.0]
    settings = Settings(database_url=database_url, _env_file=None)
    child = InChildProcess(settings, threads=2, clock=lambda: now[0])
    child.start()
    child.wait_until_ready()
    assert child.is_ready()
    assert child.waiting() == WaitingWork(0, 0.0)
    os.kill(child._process.pid, signal.SIGSTOP)
    try:
        for number in range(3):
            child.submit(None, note_where_i_ran, str(tmp_path / str(number)))
            now[0] += 1
        now[0] += 7
        assert child.waiting() == WaitingWork(3, 10.0)
    finally:
        os.kill(child._process.pid, signal.SIGCONT)
    child.stop()
    assert child.waiting() == WaitingWork(0, 0.0)
    assert all((tmp_path / str(number)).exists() for number in range(3))
