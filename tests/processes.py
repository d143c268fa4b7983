"""Running `verkosto` commands as real processes, the way operators run them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VERKOSTO = [sys.executable, "-m", "handlers"]


def environment(**settings: str) -> dict[str, str]:
    """A clean environment: only the settings given, so that nothing leaks in from outside."""
    keep = {
        key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ
    }
    return {**keep, "PYTHONUNBUFFERED": "1", **settings}


def run(
    args: list[str], cwd: Path, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VERKOSTO, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(**settings),
        timeout=120,
    )


def eventually(condition: Callable[[], bool], timeout: float = 10) -> bool:
    """Whether `condition` comes true within `timeout` seconds, asked every 50 ms: for what a
    process does on its own schedule."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.05)
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    """A running `verkosto serve`: its process and its log lines so far."""

    process: subprocess.Popen[str]
    log: list[str]

    def after_ack_processes(self) -> list[int]:
        """The after-ack processes of its web processes, by their pids."""
        return [
            pid
            for web in children(self.process.pid)
            for pid in children(web)
            if "multiprocessing.spawn" in _cmdline(pid)
        ]


def children(pid: int) -> list[int]:
    """A process's children, from Linux's /proc."""
    found = []
    for task in (Path("/proc") / str(pid) / "task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _cmdline(pid: int) -> str:
    return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()


@contextmanager
def serving(cwd: Path, ready_line: str = "Listening at", **settings: str) -> Iterator[Served]:
    """`verkosto serve` in the background until the block ends, once `ready_line` is logged."""
    process = subprocess.Popen(
        [*VERKOSTO, "serve"],
        cwd=cwd,
        env=environment(**settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if ready_line in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(timeout=30) and process.poll() is None, "".join(lines)
        yield Served(process, lines)
    finally:
        process.terminate()
        process.wait(timeout=30)
