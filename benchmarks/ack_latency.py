"""How fast `/network join` and `/network list` are acknowledged over HTTP, compared in one run
with a bare Bolt app that only acks the same command on the same kind of server.

Both servers run as separate processes on gunicorn with the same settings; the Web API stand-in
and the load run in this process. Each simulated person sends a signed slash command, waits for
the ack (that is the latency measured) and, for Verkosto, for the answer posted to the
response_url; then they read for `--think-ms` before the next command, against both targets
alike. 50 concurrent clients are 50 people using the bot at once. Bare Bolt gives no answer, so
its clients only wait for the ack.

    python benchmarks/ack_latency.py [--requests 400] [--think-ms 20] [--workers 2] [--threads 8]

`--think-ms 0` sends back to back. Then bare Bolt's loop runs on an otherwise idle machine and
stays in the CPU's caches, while every Verkosto ack follows the real work of the one before;
benchmarks/README.md shows what that does to the numbers and why.

The bar (issue 2): a median ratio of ours to bare Bolt of 1.5 or less, and a p99 under 300 ms with
50 concurrent clients on SQLite.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.slack.standin.driver import FORM, Driver  # noqa: E402
from handlers.slack.standin.model import BOT_TOKEN, TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402

SECRET = "benchmark-signing-secret"
PEOPLE = 500
WORDS = ["ennakointi", "kunta", "digi", "hr", "demokratia", "valtion", "", "verkosto"]
NETWORKS = [
    "kansallinen-ennakointiverkosto",
    "keino",
    "hr-juristiverkosto",
    "kuntademokratiaverkosto",
    "valtion-kehittajaverkosto",
    "terve-kunta-verkosto",
    "digituen-alueelliset-verkostot",
]


@dataclass
class Run:
    target: str
    command: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    missing_answers: int = 0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) * 1000


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(**settings: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **settings}


@contextmanager
def server(command: list[str], env: dict[str, str], ready_line: str, times: int) -> Iterator[None]:
    """A server process, once `ready_line` has been logged `times` times (once per worker)."""
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    ready = threading.Event()
    log: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if sum(ready_line in seen for seen in log) >= times:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60) or process.poll() is not None:
        raise SystemExit("server did not start:\n" + "".join(log))
    try:
        yield
    finally:
        process.terminate()
        process.wait(30)


VERKOSTO = [sys.executable, "-m", "handlers"]


def server_settings(api_url: str, database_url: str, workers: int, threads: int) -> dict[str, str]:
    """The environment both servers (and a worker) run with."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "VERKOSTO_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads),
    }


def prepare_database(common: dict[str, str]) -> None:
    """Migrate the database and import the real networks, as an operator would."""
    subprocess.run(
        [*VERKOSTO, "db", "upgrade"], env=environment(**common), check=True, capture_output=True
    )
    subprocess.run(
        [*VERKOSTO, "import", "bot/data/networks.json", "--team", TEAM_ID],
        env=environment(**common),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


@contextmanager
def both_servers(common: dict[str, str], workers: int) -> Iterator[tuple[int, int]]:
    """`verkosto serve` and the bare Bolt app, started alike; their ports (ours, bare)."""
    ours, bare = free_port(), free_port()
    with (
        server(
            [*VERKOSTO, "serve"],
            environment(**common, PORT=str(ours)),
            "background process for work after the ack is ready",
            workers,
        ),
        server(
            [sys.executable, "benchmarks/bare_bolt.py"],
            environment(**common, PORT=str(bare)),
            "Booting worker",
            workers,
        ),
    ):
        yield ours, bare


Request = Callable[[str], str]
"""Builds the signed body of one request from a person's user id."""


def command_request(driver: Driver, command: str) -> Request:
    """`/network join …` or `/network list …`, with a random network or word."""

    def body(user: str) -> str:
        if command == "join":
            return driver.command_body(user, f"join {random.choice(NETWORKS)}")
        return driver.command_body(user, f"list {random.choice(WORDS)}".strip())

    return body


def response_url(body: str) -> str | None:
    """The response_url a request carries (in a slash command or an interaction payload)."""
    fields = parse_qs(body)
    if "response_url" in fields:
        return fields["response_url"][0]
    payload = json.loads(fields["payload"][0])
    return payload.get("response_url")


def load(
    port: int,
    driver: Driver,
    standin: WebApiStandIn,
    run: Run,
    requests: int,
    wait_for_answers: bool,
    think: float,
    request: Request | None = None,
    people: Iterator[str] | None = None,
) -> None:
    """`run.clients` people at once send `requests` requests in all, measuring each ack."""
    people = people or itertools.cycle(f"U{i:08d}" for i in range(PEOPLE))
    make = request or command_request(driver, run.command)
    lock = threading.Lock()
    remaining = iter(range(requests))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if next(remaining, None) is None:
                    break
                user = next(people)
            body = make(user)
            headers = driver.headers(body, FORM)
            url = response_url(body)
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    run.errors += 1
                continue
            with lock:
                run.latencies.append(elapsed)
                if response.status != 200:
                    run.errors += 1
            if wait_for_answers and url and standin.wait_for_reply(url, timeout=10) is None:
                with lock:
                    run.missing_answers += 1
            time.sleep(think)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(run.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="per command and concurrency")
    parser.add_argument(
        "--think-ms", type=float, default=20, help="a person's pause between commands"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, WebApiStandIn() as standin:
        for i in range(PEOPLE):
            standin.add_user(f"U{i:08d}", f"person{i}", f"Person {i}")
        database = f"sqlite:///{Path(scratch) / 'bench.db'}"
        common = server_settings(standin.api_url, database, args.workers, args.threads)
        prepare_database(common)
        driver = Driver(lambda body, headers: None, standin, SECRET)  # builds and signs only
        runs: list[Run] = []
        with both_servers(common, args.workers) as (ours_port, bare_port):
            for command in ("join", "list"):
                for clients in (1, 50):
                    for target, port, answers in (
                        ("bare Bolt", bare_port, False),
                        ("Verkosto", ours_port, True),
                    ):
                        warm = Run(target, command, clients)
                        think = args.think_ms / 1000
                        load(port, driver, standin, warm, max(clients, 50), answers, think)
                        run = Run(target, command, clients)
                        load(port, driver, standin, run, args.requests, answers, think)
                        runs.append(run)
                        print(
                            f"  measured {target} {command} with {clients} client(s)",
                            file=sys.stderr,
                        )
        report(runs, args)


def report(runs: list[Run], args: argparse.Namespace) -> None:
    print(
        f"\nAck latency over HTTP, gunicorn {args.workers} processes x {args.threads} threads, "
        f"SQLite, {args.requests} requests per row,\n{args.think_ms:g} ms between one person's "
        "commands (the same for both)\n"
    )
    print(
        f"{'command':<8}{'clients':>8}  {'target':<10}{'median ms':>11}{'p99 ms':>9}"
        f"{'errors':>8}{'no answer':>11}"
    )
    verdicts = []
    for command in ("join", "list"):
        for clients in (1, 50):
            bare, ours = (
                next(r for r in runs if (r.target, r.command, r.clients) == key)
                for key in (("bare Bolt", command, clients), ("Verkosto", command, clients))
            )
            for run in (bare, ours):
                print(
                    f"{command:<8}{clients:>8}  {run.target:<10}{run.median:>11.2f}"
                    f"{run.quantile(0.99):>9.2f}{run.errors:>8}{run.missing_answers:>11}"
                )
            ratio = ours.median / bare.median
            p99_ratio = ours.quantile(0.99) / bare.quantile(0.99)
            print(f"{'':<18}ratio ours/bare: median {ratio:.2f}, p99 {p99_ratio:.2f}")
            verdicts.append(
                (f"{command}, {clients} client(s): median ratio {ratio:.2f} <= 1.5", ratio <= 1.5)
            )
            if clients == 50:
                verdicts.append(
                    (
                        f"{command}, 50 clients: p99 {ours.quantile(0.99):.1f} ms < 300 ms",
                        ours.quantile(0.99) < 300,
                    )
                )
            verdicts.append(
                (
                    f"{command}, {clients} client(s): no errors, every answer arrived",
                    ours.errors == bare.errors == ours.missing_answers == 0,
                )
            )
    print()
    for text, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
