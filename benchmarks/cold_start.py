"""How soon `verkosto serve` answers after a fresh start, on a quiet machine and beside two busy
processes, compared in one run with a bare Bolt app started the same way.

    python benchmarks/cold_start.py [--starts 10] [--database-url URL] [--priorities]

Each start is a new `verkosto serve` process (WEB_CONCURRENCY=1, as after a deploy of one
dyno). With load, two CPU-bound processes at normal priority run the whole time, as during a
deploy or beside a busy neighbour. As soon as `/readyz` answers 200, a new person sends a signed
`/network create`; once its form has opened, `/network list`; once that is answered, `/network
create` again. Nothing else is sent meanwhile. Measured: how long the start took, the time from
ready to the first form (`views.open`), and each later answer from its command.

Bare Bolt (benchmarks/bare_bolt.py with `BARE_BOLT_ANSWERS=1`) answers the same commands in lazy
listeners, on the same gunicorn settings; it has no `/readyz`, so its `/healthz` counts.

`--priorities` also runs Verkosto's starts with load after giving its after-ack process each
alternative priority of benchmarks/priorities.py once it is ready.

The bar (issue 15): with load, the first form within a median of 1 s and at worst 2.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ack_latency import (  # noqa: E402
    SECRET,
    VERKOSTO,
    environment,
    free_port,
    prepare_database,
    server_settings,
)
from priorities import PRIORITIES, apply  # noqa: E402

from handlers.slack.standin.driver import Driver, over_http  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402

LOAD = 2
DEADLINE = 20.0  # seconds to wait for an answer before counting it missing
COMMANDS = (("create", "views.open"), ("list", "response_url"), ("create", "views.open"))
BAR_MEDIAN, BAR_WORST = 1.0, 2.5


@dataclass
class Starts:
    """Every start of one target in one condition."""

    target: str
    loaded: bool
    started: list[float] = field(default_factory=list)
    # answers[n][i]: the n-th command's answer after the i-th start (None: none came).
    answers: list[list[float | None]] = field(default_factory=lambda: [[] for _ in COMMANDS])


@contextmanager
def busy_neighbours(count: int) -> Iterator[None]:
    """`count` processes that keep a processor busy each, at normal priority."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (URLError, OSError):
        return False


def wait_until_ready(process: subprocess.Popen[bytes], url: str, timeout: float = 120) -> None:
    """Poll `url` every 5 ms until it answers 200."""
    deadline = time.perf_counter() + timeout
    while not _answers(url):
        if process.poll() is not None or time.perf_counter() > deadline:
            raise SystemExit(f"the server did not become ready at {url}")
        time.sleep(0.005)


def one_start(
    target: str, common: dict[str, str], standin: WebApiStandIn, person: str, priority: str
) -> tuple[float, list[float | None]]:
    """Start the target, wait until it is ready, send the commands; (seconds to start, the
    answers' seconds)."""
    port = free_port()
    if target == "Verkosto":
        command, probe = [*VERKOSTO, "serve"], "/readyz"
        env = environment(**common, PORT=str(port))
    else:
        command, probe = [sys.executable, "benchmarks/bare_bolt.py"], "/healthz"
        env = environment(**common, PORT=str(port), BARE_BOLT_ANSWERS="1")
    began = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}{probe}")
        ready = time.perf_counter()
        if target == "Verkosto":
            apply(priority)
        driver = Driver(over_http(f"http://127.0.0.1:{port}/slack/events"), standin, SECRET)
        answers: list[float | None] = []
        for number, (text, method) in enumerate(COMMANDS):
            before = standin.last_seq
            sent = ready if number == 0 else time.perf_counter()
            driver.command(person, text)
            call = standin.wait_for(method, after=before, timeout=DEADLINE)
            answers.append(None if call is None else call.received - sent)
        return ready - began, answers
    finally:
        process.terminate()
        process.wait(30)


def run(
    target: str,
    loaded: bool,
    starts: int,
    common: dict[str, str],
    standin: WebApiStandIn,
    priority: str = "batch (ours)",
) -> Starts:
    result = Starts(target if target != "Verkosto" else f"Verkosto, {priority}", loaded)
    with busy_neighbours(LOAD) if loaded else nullcontext():
        for number in range(starts):
            person = f"UCOLD{len(standin.users):05d}"
            standin.add_user(person, f"cold{number}", f"Cold Start {number}")
            took, answers = one_start(target, common, standin, person, priority)
            result.started.append(took)
            for column, answer in zip(result.answers, answers, strict=True):
                column.append(answer)
            print(f"  {result.target}, load {loaded}: start {number + 1} done", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--priorities", action="store_true", help="compare the priorities too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, WebApiStandIn() as standin:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'cold.db'}"
        common = server_settings(standin.api_url, url, 1, 8)
        prepare_database(common)
        results = [
            run(target, loaded, args.starts, common, standin)
            for loaded in (False, True)
            for target in ("bare Bolt", "Verkosto")
        ]
        if args.priorities:
            results += [
                run("Verkosto", True, args.starts, common, standin, priority)
                for priority in PRIORITIES
                if PRIORITIES[priority] is not None
            ]
    report(results, args.starts, url.split(":", 1)[0])


def _seconds(values: list[float | None]) -> str:
    answered = [value for value in values if value is not None]
    missing = len(values) - len(answered)
    if not answered:
        return f"{'none':>17}"
    text = f"{statistics.median(answered):6.2f} {max(answered):6.2f}"
    return f"{text:>13}" + (f" {missing}!" if missing else "   ")


def report(results: list[Starts], starts: int, backend: str) -> None:
    print(
        f"\nFresh starts of each server ({starts} each), WEB_CONCURRENCY=1, {backend}; "
        f"with load: {LOAD} CPU-bound processes beside it.\nSeconds, median and worst; "
        f"N! = N answers missing after {DEADLINE:g} s.\n"
    )
    print(f"{'target':<30}{'load':>5}{'start':>14}{'ready→form':>17}{'list':>17}{'2nd form':>17}")
    for result in results:
        print(
            f"{result.target:<30}{'yes' if result.loaded else 'no':>5}"
            f"{_seconds(list(result.started)):>14}"
            + "".join(f"{_seconds(column):>17}" for column in result.answers)
        )
    print()
    ours = next(r for r in results if r.target == "Verkosto, batch (ours)" and r.loaded)
    for name, column in zip(("first form", "list", "second form"), ours.answers, strict=True):
        answered = [value for value in column if value is not None]
        ok = (
            len(answered) == len(column)
            and statistics.median(answered) < BAR_MEDIAN
            and max(answered) < BAR_WORST
        )
        worst = max(answered) if answered else float("inf")
        median = statistics.median(answered) if answered else float("inf")
        print(
            f"{'PASS' if ok else 'FAIL'}  with load, {name}: median {median:.2f} s < "
            f"{BAR_MEDIAN:g} s, worst {worst:.2f} s < {BAR_WORST:g} s, none missing"
        )


if __name__ == "__main__":
    main()
