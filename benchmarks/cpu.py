"""Processes by role, read from Linux's /proc: where the machine's time went during a run.

Every process on the machine is put in one role by what it runs: Verkosto's web processes, the
after-ack processes they start, the worker, the bare Bolt app, PostgreSQL, the benchmark itself
(the load and the Web API stand-in), and everything else. Processes that ended between two
readings are missing from the second; the benchmarks read around runs in which none ends.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
ROLES = ("web", "after-ack", "worker", "bare Bolt", "PostgreSQL", "benchmark", "other")


def _read(pid: str) -> tuple[str, int, float] | None:
    """(command line, parent pid, CPU seconds) of one process, or None if it is gone."""
    try:
        stat = (Path("/proc") / pid / "stat").read_text()
        cmdline = (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; the fields after it are counted from its end.
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    return cmdline or stat[stat.index("(") + 1 : stat.rindex(")")], int(fields[1]), cpu


def _runs(cmdline: str, command: str) -> bool:
    """Whether a command line runs `verkosto <command>` (or `python -m handlers <command>`)."""
    return f"handlers {command}" in cmdline or f"verkosto {command}" in cmdline


def _role(cmdline: str, parent: str | None, me: int, pid: int) -> str:
    if pid == me:
        return "benchmark"
    if "multiprocessing.spawn" in cmdline and parent is not None and _runs(parent, "serve"):
        return "after-ack"
    if _runs(cmdline, "serve"):
        return "web"
    if _runs(cmdline, "worker"):
        return "worker"
    if "bare_bolt" in cmdline:
        return "bare Bolt"
    if cmdline.startswith("postgres"):
        return "PostgreSQL"
    return "other"


def _by_role() -> Iterator[tuple[str, int, float]]:
    """(role, pid, CPU seconds so far) of every process alive now."""
    processes = {pid: seen for pid in os.listdir("/proc") if pid.isdigit() and (seen := _read(pid))}
    me = os.getpid()
    for pid, (cmdline, ppid, cpu) in processes.items():
        parent = processes.get(str(ppid))
        yield _role(cmdline, parent[0] if parent else None, me, int(pid)), int(pid), cpu


def cpu_by_role() -> Counter[str]:
    """CPU seconds so far of the processes alive now, summed by role."""
    totals: Counter[str] = Counter()
    for role, _, cpu in _by_role():
        totals[role] += cpu
    return totals


def pids_of(role: str) -> list[int]:
    """The processes of one role alive now."""
    return [pid for seen, pid, _ in _by_role() if seen == role]


def spent(before: Counter[str], after: Counter[str]) -> dict[str, float]:
    """CPU seconds each role used between two readings."""
    return {role: max(0.0, after[role] - before[role]) for role in ROLES}
