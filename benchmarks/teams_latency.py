"""How fast Verkosto answers in Teams, compared in one run with a bare Teams app that only
echoes; and Slack's acks from the same `verkosto serve`, compared with a bare Bolt app.

One `verkosto serve` serves Slack and Teams together; the bare Teams app (`bare_teams.py`) and
the bare Bolt app (`bare_bolt.py`) run on the same gunicorn settings. The Bot Connector and Slack
stand-ins and the load run in this process. Measured, with `--clients` people at once:

- a Teams message: from sending `network list WORD` (the bare app: any text) until its HTTP
  answer, and until the reply reaches Bot Connector (ours: a real search, drawn as a card; the
  bare app: the text sent back);
- a Teams `Action.Execute` (Join on a network): until the HTTP answer, which is the line Teams
  shows on the card (the bare app: a one-line card), and for ours until the welcome, with the
  networks one may also like, reaches the person's chat;
- a Teams `Action.Execute` (Going on an event's announcement): until the HTTP answer, which for
  ours is the announcement as it now stands, with the person's answer beneath;
- a Slack `/network list WORD`: until the ack.

Each person waits for the answer in their chat before they read and act again.

    python benchmarks/teams_latency.py [--requests 200] [--clients 10] [--think-ms 500]

Each person reads for `--think-ms` before their next message. Teams lets an app send about 30
messages a second into one tenant, and Verkosto keeps to that (handlers/teams/limits.py), while
the bare app does not: offered faster, ours waits where Teams would answer 429, so the default
load stays under the limit (10 people, one message every half second each).

The bar (issue 17): a median ratio of ours to the bare app of 1.5 or less for the HTTP answers
of the Teams message and invokes, which Teams waits for, with Slack's ack bar (ack_latency.py)
holding in the same run. The times until the answer is in the chat are printed beside them, with
no bar: ours does the work the person asked for, the bare app none.
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
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as dt_time
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
from bot.domain import JoinPolicy, Platform  # noqa: E402
from bot.results.people import Profile  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.slack.standin.driver import Driver  # noqa: E402
from handlers.slack.standin.driver import over_http as slack_http  # noqa: E402
from handlers.slack.standin.model import TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402
from handlers.teams.event_cards import ON_ANNOUNCEMENT  # noqa: E402
from handlers.teams.standin.connector import SEND, ConnectorStandIn, Person  # noqa: E402
from handlers.teams.standin.driver import TeamsDriver, over_http  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Network, Workspace  # noqa: E402

APP_ID = "5c2a9e41-7b3d-4f6a-8e21-9d0c3b7a1f64"
TENANT = "3f0a6b2c-1d4e-4a5b-9c8d-7e6f5a4b3c2d"
APP_SECRET = "benchmark-app-secret"
SECRET = "benchmark-signing-secret"
RESULTS = (
    "Teams message",
    "Teams Action.Execute",
    "Teams Action.Execute Going",
    "Slack /network list",
)
BAR = 1.5


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


def announce_events(database_url: str, network_ids: list[int]) -> list[int]:
    """A tenant admin announces an event next month in each network; their ids."""
    database = Database(database_url)
    settings = Settings(database_url=database_url, teams_client_id=APP_ID, _env_file=None)
    services = Services.build(settings, database)
    admin = services.people.identify(
        TENANT,
        "0b5e2a8e-adm1-4000-8000-000000000001",
        lambda _: Profile("Tenant admin", is_workspace_admin=True),
        platform=Platform.TEAMS,
    )
    day = date.today() + timedelta(days=30)
    values = {
        "title": "Aamukahvit",
        "start_date": day,
        "start_time": dt_time(9, 0),
        "end_time": dt_time(10, 0),
        "timezone": "Europe/Helsinki",
    }
    saved = [services.events.create(admin, network, "", values) for network in network_ids]
    database.dispose()
    return [event.event.id for event in saved]


Job = Callable[[], "Times | None"]


@dataclass(frozen=True)
class Times:
    """One request: until its HTTP answer, and until its message reached the chat (if any)."""

    answered: float
    in_chat: float | None = None


def teams_job(
    driver: TeamsDriver, person: Person, send: Callable[[], int], chat_answer: bool
) -> Times | None:
    """Send, and with `chat_answer` wait for the message it brings to the person's chat, so
    that nobody acts again before they have their answer (and no phase leaves work behind)."""
    chat = driver.chat_of(person)
    after = driver.standin.last_seq
    began = time.perf_counter()
    if send() != 200:
        return None
    answered = time.perf_counter() - began
    if not chat_answer:
        return Times(answered)
    if driver.standin.wait_for(SEND, chat, after, timeout=10) is None:
        return None
    return Times(answered, time.perf_counter() - began)


def teams_message(driver: TeamsDriver, person: Person, text: str) -> Job:
    return lambda: teams_job(driver, person, lambda: driver.message(person, text).status, True)


def teams_invoke(driver: TeamsDriver, person: Person, network_id: int, in_chat: bool) -> Job:
    """Join pressed on a network: ours answers in the person's chat, the bare app on the card."""
    value = {
        "action": {
            "type": "Action.Execute",
            "verb": "network.join",
            "data": {"target": network_id},
        },
        "trigger": "manual",
    }

    def press() -> int:
        chat = driver.chat_of(person)
        return driver.invoke(person, chat, "adaptiveCard/action", value, None).status

    return lambda: teams_job(driver, person, press, in_chat)


def teams_going(driver: TeamsDriver, person: Person, event_id: int) -> Job:
    """Going pressed on an event's announcement: ours answers with the announcement as it now
    stands, counted and with the person's answer beneath (the work is done while Teams waits);
    the bare app with a one-line card."""
    value = {
        "action": {
            "type": "Action.Execute",
            "verb": "event.going",
            "data": {"target": event_id, "on": ON_ANNOUNCEMENT},
        },
        "trigger": "manual",
    }

    def press() -> int:
        chat = driver.chat_of(person)
        return driver.invoke(person, chat, "adaptiveCard/action", value, None).status

    return lambda: teams_job(driver, person, press, False)


def slack_ack(driver: Driver, user: str, word: str) -> Job:
    def ack() -> Times | None:
        began = time.perf_counter()
        if driver.command(user, f"list {word}").status != 200:
            return None
        return Times(time.perf_counter() - began)

    return ack


def run(jobs: list[Job], clients: int, think: float = 0.0) -> list[Times | None]:
    """Each job's times, None for a request that failed or whose answer never came."""
    samples: list[Times | None] = []

    def timed(job: Job) -> None:
        try:
            samples.append(job())
        except Exception:  # an error or a lost connection counts as a failed request
            samples.append(None)
        time.sleep(think)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(timed, jobs))
    return samples


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    return sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000


def describe(name: str, ours: list[float], bare: list[float] | None, bar: float | None) -> bool:
    """One line of the comparison; whether it holds its bar (a line without one always does)."""
    line = f"{name:<42} ours median {median_ms(ours):7.1f} ms (p95 {p95_ms(ours):7.1f})"
    if bare is None:
        print(f"{line}  (nothing to compare with)")
        return True
    ratio = median_ms(ours) / median_ms(bare)
    line += f"  bare median {median_ms(bare):7.1f} ms  ratio {ratio:4.2f}"
    if bar is None:
        print(f"{line}  (no bar)")
        return True
    print(f"{line} (bar {bar})  {'PASS' if ratio <= bar else 'FAIL'}")
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
        events = announce_events(database_url, networks[:10])
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
            # The cards in the answers are not checked while timing (tests/teams does that).
            ours = TeamsDriver(
                teams,
                over_http(f"http://127.0.0.1:{ours_port}/api/messages"),
                TENANT,
                check_answers=False,
            )
            bare = TeamsDriver(
                teams,
                over_http(f"http://127.0.0.1:{bare_teams_port}/api/messages"),
                TENANT,
                check_answers=False,
            )
            ours_slack = Driver(
                slack_http(f"http://127.0.0.1:{ours_port}/slack/events"), slack, SECRET
            )
            bare_slack = Driver(
                slack_http(f"http://127.0.0.1:{bare_bolt_port}/slack/events"), slack, SECRET
            )

            def messages(driver: TeamsDriver) -> list[Job]:
                return [
                    teams_message(
                        driver, random.choice(people), f"network list {random.choice(WORDS)}"
                    )
                    for _ in range(args.requests)
                ]

            def invokes(driver: TeamsDriver) -> list[Job]:
                return [
                    teams_invoke(
                        driver, random.choice(people), random.choice(networks), driver is ours
                    )
                    for _ in range(args.requests)
                ]

            def goings(driver: TeamsDriver) -> list[Job]:
                return [
                    teams_going(driver, random.choice(people), random.choice(events))
                    for _ in range(args.requests)
                ]

            def acks(driver: Driver) -> list[Job]:
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
            pairs = dict(
                zip(
                    RESULTS,
                    [
                        (lambda: messages(ours), lambda: messages(bare)),
                        (lambda: invokes(ours), lambda: invokes(bare)),
                        (lambda: goings(ours), lambda: goings(bare)),
                        (lambda: acks(ours_slack), lambda: acks(bare_slack)),
                    ],
                    strict=True,
                )
            )
            results: dict[str, tuple[list[Times | None], list[Times | None]]] = {}
            think = args.think_ms / 1000
            for name, (ours_jobs, bare_jobs) in pairs.items():
                ours_times: list[Times | None] = []
                bare_times: list[Times | None] = []
                for _ in range(2):
                    ours_times += run(ours_jobs()[: args.requests // 2], args.clients, think)
                    bare_times += run(bare_jobs()[: args.requests // 2], args.clients, think)
                results[name] = (ours_times, bare_times)
    print(
        f"{args.requests} requests each, {args.clients} people at once reading "
        f"{args.think_ms:.0f} ms between requests, {args.workers} processes of {args.threads} "
        "threads, SQLite, the real networks"
    )
    sys.exit(0 if report(results) else 1)


def report(results: dict[str, tuple[list[Times | None], list[Times | None]]]) -> bool:
    """The comparison: the bar holds for what Teams and Slack wait for (the HTTP answer); the
    time until the answer is in the person's chat is shown beside it. A request that failed
    fails the run."""
    failed = {
        name: (ours.count(None), bare.count(None))
        for name, (ours, bare) in results.items()
        if None in ours or None in bare
    }
    for name, (ours_failed, bare_failed) in failed.items():
        print(f"{name}: {ours_failed} of ours and {bare_failed} of the bare app's failed  FAIL")

    def answered(times: list[Times | None]) -> list[float]:
        return [t.answered for t in times if t is not None]

    def in_chat(times: list[Times | None]) -> list[float]:
        return [t.in_chat for t in times if t is not None and t.in_chat is not None]

    message, invoke, going, slack = (results[name] for name in RESULTS)
    return all(
        [
            describe("Teams message (HTTP answer)", *map(answered, message), BAR),
            describe("Teams Action.Execute Join (HTTP answer)", *map(answered, invoke), BAR),
            describe("Teams Action.Execute Going (HTTP answer)", *map(answered, going), BAR),
            describe("Slack /network list (ack)", *map(answered, slack), BAR),
            describe("Teams message (reply in chat)", *map(in_chat, message), None),
            describe("Teams Action.Execute Join (answer in chat)", in_chat(invoke[0]), None, None),
            not failed,
        ]
    )


if __name__ == "__main__":
    main()
