"""The after-ack processes' scheduling, changed from outside to compare the alternatives.

`verkosto serve` makes its after-ack processes batch processes (handlers/child_process.py).
A benchmark can put them back at another priority once they are ready, every thread of them,
and measure the same run again: `nice 19` is what they ran at before issue 15.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from cpu import pids_of

# Name -> (scheduling policy, niceness); None keeps what `verkosto serve` chose.
PRIORITIES: dict[str, tuple[int, int] | None] = {
    "batch (ours)": None,
    "nice 19 (before)": (os.SCHED_OTHER, 19),
    "nice 10": (os.SCHED_OTHER, 10),
    "nice 5": (os.SCHED_OTHER, 5),
    "nice 0": (os.SCHED_OTHER, 0),
}


def _threads(pid: int) -> Iterable[int]:
    try:
        return [int(task) for task in os.listdir(Path("/proc") / str(pid) / "task")]
    except OSError:
        return []


def apply(name: str) -> int:
    """Give every thread of every after-ack process the priority `name`; how many processes."""
    chosen = PRIORITIES[name]
    pids = pids_of("after-ack")
    if chosen is None:
        return len(pids)
    if not pids:
        # Otherwise the run would silently measure the default priority under another name.
        raise RuntimeError(f"no after-ack process found to put at {name}")
    policy, niceness = chosen
    for pid in pids:
        for thread in _threads(pid):
            os.sched_setscheduler(thread, policy, os.sched_param(0))
            os.setpriority(os.PRIO_PROCESS, thread, niceness)
    return len(pids)
