"""How fast Verkosto answers in Teams, compared in one run with a bare Teams app that only
echoes; and Slack's acks from the same `verkosto serve`, compared with a bare Bolt app.

One `verkosto serve` serves Slack and Teams together; the bare Teams app (`bare_teams.py`) and
the bare Bolt app (`bare_bolt.py`) run on the same gunicorn settings. The Bot Connector and Slack
stand-ins and the load run in this process. Measured, with `--clients` people at once:

- a Teams message: from sending `network list WORD` (the bare app: any text) until its HTTP
  answer, and until the reply reaches Bot Connector (ours: a real search, drawn as a card; the
  bare app: the text sent back);
- a Teams `Action.Execute` (Join on a network): until the HTTP answer, which is the card or the
  note Teams shows;
- a Slack `/network list WORD`: until the ack.

    python benchmarks/teams_latency.py [--requests 200] [--clients 10] [--think-ms 500]

Each person reads for `--think-ms` before their next message. Teams lets an app send about 30
messages a second into one tenant, and Verkosto keeps to that (handlers/teams/limits.py), while
the bare app does not: offered faster, ours waits where Teams would answer 429, so the default
load stays under the limit (10 people, one message every half second each).

The bar (issue 17): a median ratio of ours to the bare app of 1.5 or less for the Teams message
and invoke, with Slack's ack bar (ack_latency.py) holding in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from benchmarks.ack_latency import (  # noqa: E402
    VERKOSTO,
    WORDS,
    environment,
    free_port,
    server,
    server_settings,
)
from bot.domain import JoinPolicy  # noqa: E402
from handlers.slack.standin.driver import Driver  # noqa: E402
from handlers.slack.standin.driver import over_http as slack_http  # noqa: E402
from handlers.slack.standin.model import TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402
from handlers.teams.standin.connector import SEND, ConnectorStandIn, Person  # noqa: E402
from handlers.teams.standin.driver import TeamsDriver, over_http  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Network, Workspace  # noqa: E402

APP_ID = "5c2a9e41-7b3d-4f6a-8e21-9d0c3b7a1f64"
TENANT = "3f0a6b2c-1d4e-4a5b-9c8d-7e6f5a4b3c2d"
APP_SECRET = "benchmark-app-secret"
SECRET = "benchmark-signing-secret"


def prepare(common: dict[str, str]) -> None:
    """Migrate, and import the real networks into the Slack workspace and the Teams tenant."""
    import subprocess

    env = environment(**common)
    subprocess.run([*VERKOSTO, "db", "upgrade"], env=env, check=True, capture_output=True)
    for target in (["--team", TEAM_ID], ["--tenant", TENANT]):
        subprocess.run(
            [*VERKOSTO, "import", "bot/data/networks.json", *target],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def open_network_ids(database_url: str) -> list[int]:
    database = Database(database_url)
    with database.snapshot() as store:
        query = (
            select(Network.id)
            .join(Workspace, Workspace.id == Network.workspace_id)
            .where(Workspace.team_id == TENANT, Network.join_policy == JoinPolicy.OPEN)
        )
        found = list(store.session.scalars(query))
    database.dispose()
    return found


def timed(samples: list[float], work: Callable[[], bool], think: float) -> None:
    began = time.perf_counter()
    if work():
        samples.append(time.perf_counter() - began)
    time.sleep(think)


def teams_message(driver: TeamsDriver, person: Person, text: str) -> Callable[[], bool]:
    def send() -> bool:
        chat = driver.chat_of(person)
        after = driver.standin.last_seq
        if driver.message(person, text).status != 200:
            return False
        return driver.standin.wait_for(SEND, chat, after, timeout=10) is not None

    return send


def teams_ack(driver: TeamsDriver, person: Person, text: str) -> Callable[[], bool]:
    """Until Teams has its HTTP answer (the work goes on after it, as Slack's does)."""
    return lambda: driver.message(person, text).status == 200


def teams_invoke(driver: TeamsDriver, person: Person, network_id: int) -> Callable[[], bool]:
    def press() -> bool:
        value = {
            "action": {
                "type": "Action.Execute",
                "verb": "network.join",
                "data": {"target": network_id},
            },
            "trigger": "manual",
        }
        chat = driver.chat_of(person)
        return driver.invoke(person, chat, "adaptiveCard/action", value, None).status == 200

    return press


def slack_ack(driver: Driver, user: str, word: str) -> Callable[[], bool]:
    return lambda: driver.command(user, f"list {word}").status == 200


def run(jobs: list[Callable[[], bool]], clients: int, think: float = 0.0) -> list[float]:
    samples: list[float] = []
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda job: timed(samples, job, think), jobs))
    return samples


def describe(name: str, ours: list[float], bare: list[float], bar: float) -> bool:
    ours_ms, bare_ms = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    p95 = sorted(ours)[int(0.95 * (len(ours) - 1))] * 1000
    ratio = ours_ms / bare_ms
    verdict = "PASS" if ratio <= bar else "FAIL"
    print(
        f"{name:<28} ours median {ours_ms:7.1f} ms (p95 {p95:7.1f})  "
        f"bare median {bare_ms:7.1f} ms  ratio {ratio:4.2f} (bar {bar})  {verdict}"
    )
    return ratio <= bar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--think-ms", type=float, default=500)
    args = parser.parse_args()
    random.seed(17)
    scratch = tempfile.mkdtemp(prefix="verkosto-teams-bench-")
    database_url = f"sqlite:///{scratch}/bench.db"
    with WebApiStandIn() as slack, ConnectorStandIn(APP_ID, APP_SECRET) as teams:
        common = {
            **server_settings(slack.api_url, database_url, args.workers, args.threads),
            "TEAMS_CLIENT_ID": APP_ID,
            "TEAMS_CLIENT_SECRET": APP_SECRET,
            "TEAMS_KEYS_URL": teams.keys_url,
            "TEAMS_TOKEN_URL": teams.token_url,
        }
        prepare(common)
        networks = open_network_ids(database_url)
        people = [
            teams.add_person(f"0b5e2a8e-{n:04d}-4000-8000-{n:012d}", f"Person {n}", locale="fi-FI")
            for n in range(args.clients * 4)
        ]
        for n in range(args.clients * 4):
            slack.add_user(f"U0B{n:05d}", f"person{n}", f"Person {n}")
        ours_port, bare_teams_port, bare_bolt_port = free_port(), free_port(), free_port()
        ready = "background process for work after the ack is ready"
        with (
            server(
                [*VERKOSTO, "serve"],
                environment(**common, PORT=str(ours_port)),
                ready,
                args.workers,
            ),
            server(
                [sys.executable, "benchmarks/bare_teams.py"],
                environment(**common, PORT=str(bare_teams_port)),
                "Booting worker",
                args.workers,
            ),
            server(
                [sys.executable, "benchmarks/bare_bolt.py"],
                environment(**common, PORT=str(bare_bolt_port)),
                "Booting worker",
                args.workers,
            ),
        ):
            ours = TeamsDriver(
                teams, over_http(f"http://127.0.0.1:{ours_port}/api/messages"), TENANT
            )
            bare = TeamsDriver(
                teams, over_http(f"http://127.0.0.1:{bare_teams_port}/api/messages"), TENANT
            )
            ours_slack = Driver(
                slack_http(f"http://127.0.0.1:{ours_port}/slack/events"), slack, SECRET
            )
            bare_slack = Driver(
                slack_http(f"http://127.0.0.1:{bare_bolt_port}/slack/events"), slack, SECRET
            )

            def messages(driver: TeamsDriver) -> list[Callable[[], bool]]:
                return [
                    teams_message(
                        driver, random.choice(people), f"network list {random.choice(WORDS)}"
                    )
                    for _ in range(args.requests)
                ]

            def message_acks(driver: TeamsDriver) -> list[Callable[[], bool]]:
                return [
                    teams_ack(driver, random.choice(people), f"network list {random.choice(WORDS)}")
                    for _ in range(args.requests)
                ]

            def invokes(driver: TeamsDriver) -> list[Callable[[], bool]]:
                return [
                    teams_invoke(driver, random.choice(people), random.choice(networks))
                    for _ in range(args.requests)
                ]

            def acks(driver: Driver) -> list[Callable[[], bool]]:
                return [
                    slack_ack(
                        driver, f"U0B{random.randrange(len(people)):05d}", random.choice(WORDS)
                    )
                    for _ in range(args.requests)
                ]

            # Warm both sides, then measure each pair interleaved in halves, so that neither
            # side always runs on a hotter or a busier machine.
            for warm in (messages(ours)[:20], messages(bare)[:20], acks(ours_slack)[:20]):
                run(warm, args.clients)
            results: dict[str, list[list[float]]] = {}
            pairs = {
                "Teams message (HTTP answer)": (
                    lambda: message_acks(ours),
                    lambda: message_acks(bare),
                ),
                "Teams message (reply sent)": (lambda: messages(ours), lambda: messages(bare)),
                "Teams Action.Execute": (lambda: invokes(ours), lambda: invokes(bare)),
                "Slack /network list (ack)": (lambda: acks(ours_slack), lambda: acks(bare_slack)),
            }
            for name, (ours_jobs, bare_jobs) in pairs.items():
                ours_samples: list[float] = []
                bare_samples: list[float] = []
                think = args.think_ms / 1000
                for _ in range(2):
                    ours_samples += run(ours_jobs()[: args.requests // 2], args.clients, think)
                    bare_samples += run(bare_jobs()[: args.requests // 2], args.clients, think)
                results[name] = [ours_samples, bare_samples]
    print(
        f"{args.requests} requests each, {args.clients} people at once reading "
        f"{args.think_ms:.0f} ms between requests, {args.workers} processes of {args.threads} "
        "threads, SQLite, the real networks"
    )
    passed = [describe(name, ours, bare, 1.5) for name, (ours, bare) in results.items()]
    sys.exit(0 if all(passed) else 1)


if __name__ == "__main__":
    main()
