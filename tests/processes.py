"""Running `verkosto` commands as real processes, the way operators run them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VERKOSTO = [sys.executable, "-m", "bot"]


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(cwd: Path, ready_line: str = "Listening at", **settings: str) -> Iterator[list[str]]:
    """`verkosto serve` in the background until the block ends; yields its log lines so far."""
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
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=30)
