"""Work after the ack: held until the ack is sent, and run by a child process at lower priority."""

from __future__ import annotations

import os
from pathlib import Path

from bot.settings import Settings
from handlers.slack.after_response import AfterResponse, ReleasedOnClose
from handlers.slack.background import NICENESS, InChildProcess


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
    """A work item: says which process ran it, and at what priority."""
    Path(path).write_text(f"{os.getpid()} {os.nice(0)}")


def test_a_child_process_runs_work_at_lower_priority_and_comes_back_if_it_dies(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", _env_file=None)
    child = InChildProcess(settings, threads=2)
    child.start()
    first = tmp_path / "first"
    child.submit(None, note_where_i_ran, str(first))
    child.stop()
    pid, niceness = map(int, first.read_text().split())
    assert pid != os.getpid()
    assert niceness == min(os.nice(0) + NICENESS, 19)

    child.start()
    child._process.kill()
    child._process.join()
    second = tmp_path / "second"
    child.submit(None, note_where_i_ran, str(second))
    child.stop()
    assert int(second.read_text().split()[0]) not in (pid, os.getpid())
