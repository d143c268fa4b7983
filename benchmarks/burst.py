"""A burst: 400 members of the dialogue network press Going on an announcement and vote in a
poll, 800 clicks within ten seconds, against `verkosto serve` on PostgreSQL with several
processes and a worker beside it; then the same clicks against a bare Bolt app.

    python benchmarks/burst.py [--database-url postgresql://... --wipe] [--workers 4]

The clicks are fired on a schedule (open loop): each person's two clicks at random moments of
the first eight seconds, sent by 64 connections, whatever the server's pace. Each click's ack is
the latency measured; for Verkosto every person must also get their answer on the response_url,
and the time from click to answer is shown too.

Then it waits for the outbox to empty and checks what is stored and what Slack shows: the event
holds 350 seats, so exactly 350 go and 50 wait; the poll's counts are exactly what the clicks
chose; the announcement and the poll message show those numbers, although every process
rendered some of their updates, and Slack was asked to update them no more often than its rate
limit allows. Last, the network is renamed from outside the web processes, and
40 `/network list` answers, spread over every process, must all show the new name: their caches
follow the database.

The bars (issue 8): p99 ack under 1 s, no errors, every answer, exact counts.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ack_latency import (  # noqa: E402
    SECRET,
    VERKOSTO,
    Run,
    both_servers,
    environment,
    prepare_database,
    response_url,
    server_settings,
)
from cpu import cpu_by_role, spent  # noqa: E402
from databases import add_members, fresh_database  # noqa: E402
from priorities import PRIORITIES, apply  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.domain import Attendance  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from bot.results.people import Profile  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.slack.standin.driver import FORM, Driver  # noqa: E402
from handlers.slack.standin.model import TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402
from storage.database import Database  # noqa: E402

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
NETWORK = "eratauko-verkosto"
CHANNEL = "C0ERATAUKO"
PEOPLE = 400
SEATS = 350
OPTIONS = ("Tampere", "Turku", "Oulu", "Online")
WITHIN = 8.0  # seconds over which the clicks are spread; the bar is ten
CONNECTIONS = 64
LISTINGS = 40
RENAMED = "Erätauko dialogue network (renamed)"
SLACK_UPDATES_PER_MINUTE = 50  # chat.update is a Tier 3 method
ANSWER_BAR = 2.0  # seconds from a click to its confirmation, p99 (issue 15)


def person(number: int) -> str:
    return f"UB{number:07d}"


@dataclass(frozen=True)
class Stage:
    """The announcement and the poll, as their buttons carry them."""

    event_id: int
    poll_id: int
    option_ids: tuple[int, ...]


def prepare(url: str) -> Stage:
    """The 400 members, an event with 350 seats and a four-option poll, announced."""
    db = Database(url)
    services = Services.build(_settings(url), db, SystemClock())
    people = [person(number) for number in range(PEOPLE)]
    add_members(db, TEAM_ID, NETWORK, people)
    coordinator = services.people.identify(TEAM_ID, people[0], lambda uid: Profile(uid))
    network = services.networks.editable(coordinator, NETWORK)
    services.networks.update(
        coordinator, network.network_id, {**network.form.model_dump(), "channel_id": CHANNEL}
    )
    day = (datetime.now(UTC) + timedelta(days=14)).date()
    event = services.events.create(
        coordinator,
        network.network_id,
        CHANNEL,
        {
            "title": "Dialogue day",
            "start_date": day,
            "start_time": "09:00",
            "end_time": "16:00",
            "timezone": "Europe/Helsinki",
            "capacity": SEATS,
        },
    )
    poll = services.polls.create(
        coordinator, CHANNEL, {"question": "Where shall we meet?", "options": OPTIONS}, name=NETWORK
    )
    if not db.is_sqlite:
        # As autovacuum would have done on a database in use: without statistics, the
        # planner's guesses made the same run up to three times slower.
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    db.dispose()
    return Stage(event.event.id, poll.poll.id, tuple(option.id for option in poll.poll.options))


def _settings(url: str) -> Settings:
    return Settings(
        slack_signing_secret=SECRET, database_url=url, verkosto_secret=SECRET, _env_file=None
    )


@dataclass
class Click:
    at: float
    user: str
    body: str


@dataclass
class Burst:
    run: Run
    took: float = 0.0
    late: list[float] = field(default_factory=list)
    # Seconds from a click's sending to its answer on the response_url.
    answered: list[float] = field(default_factory=list)
    # The same, by what was clicked: "going" or "vote".
    answered_by_kind: dict[str, list[float]] = field(default_factory=dict)


def schedule(driver: Driver, stage: Stage, seed: int) -> tuple[list[Click], Counter[int]]:
    """Everyone's Going and vote, at random moments of the first `WITHIN` seconds; and the
    votes each option should end with."""
    chance = random.Random(seed)
    clicks, chosen = [], Counter[int]()
    for number in range(PEOPLE):
        user = person(number)
        going = driver.click_body(user, "event.going", str(stage.event_id), channel_id=CHANNEL)
        option = chance.choice(stage.option_ids)
        chosen[option] += 1
        vote = driver.click_body(
            user, f"poll.vote.{option}", f"{stage.poll_id}:{option}", channel_id=CHANNEL
        )
        clicks += [Click(chance.uniform(0, WITHIN), user, going)]
        clicks += [Click(chance.uniform(0, WITHIN), user, vote)]
    clicks.sort(key=lambda click: click.at)
    return clicks, chosen


def fire(
    port: int, driver: Driver, standin: WebApiStandIn, clicks: list[Click], target: str
) -> Burst:
    """Send each click at its moment over `CONNECTIONS` connections; measure every ack, and
    then (for Verkosto) when each answer arrived."""
    burst = Burst(Run(target, "click", CONNECTIONS))
    sent_at: list[tuple[float, str, str]] = []
    queue = iter(clicks)
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def connection() -> None:
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                click = next(queue, None)
            if click is None:
                break
            delay = start + click.at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent = time.perf_counter()
            try:
                link.request("POST", "/slack/events", click.body, driver.headers(click.body, FORM))
                response = link.getresponse()
                response.read()
                acked = time.perf_counter()
            except OSError:
                link.close()
                link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    burst.run.errors += 1
                continue
            with lock:
                burst.run.latencies.append(acked - sent)
                burst.late.append(max(0.0, sent - (start + click.at)))
                burst.took = max(burst.took, acked - start)
                if response.status != 200:
                    burst.run.errors += 1
                url = response_url(click.body)
                if url:
                    sent_at.append((sent, url, "going" if "event.going" in click.body else "vote"))
        link.close()

    threads = [threading.Thread(target=connection) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if target == "Verkosto":
        for sent, url, kind in sent_at:
            answer = standin.wait_for_reply(url, timeout=60)
            if answer is None:
                burst.run.missing_answers += 1
            else:
                burst.answered.append(answer.received - sent)
                burst.answered_by_kind.setdefault(kind, []).append(answer.received - sent)
    return burst


@contextmanager
def worker(common: dict[str, str]) -> Iterator[None]:
    """`verkosto worker`, beside the web processes, as the operations guide runs it."""
    process = subprocess.Popen(
        [*VERKOSTO, "worker"],
        env=environment(**common),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(30)


def settled(url: str, timeout: float = 120) -> float:
    """Seconds until the outbox holds nothing waiting (the worker and the web processes sent
    every update), or raise."""
    db = Database(url)
    services = Services.build(_settings(url), db, SystemClock())
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < timeout:
            if services.outbox.backlog().waiting == 0:
                return time.perf_counter() - started
            time.sleep(0.2)
        raise SystemExit("the outbox did not empty")
    finally:
        db.dispose()


@dataclass
class Outcome:
    going: int
    waitlisted: int
    votes: dict[int, int]
    announcement: str
    poll_message: str


def outcome(url: str, standin: WebApiStandIn, stage: Stage) -> Outcome:
    """What the database holds and what Slack shows."""
    db = Database(url)
    try:
        with db.snapshot() as store:
            answers = Counter(rsvp.attendance for rsvp in store.rsvps.of_event(stage.event_id))
            votes = store.ballots.counts(stage.poll_id)
            announced = store.outbox.by_key(f"event:{stage.event_id}:announce")
            posted = store.outbox.by_key(f"poll:{stage.poll_id}:post")
            assert announced is not None and posted is not None
            where = [(row.sent_conversation, row.sent_ref) for row in (announced, posted)]
    finally:
        db.dispose()
    shown = [json.dumps(standin.messages[key], ensure_ascii=False) for key in where]
    return Outcome(answers[Attendance.GOING], answers[Attendance.WAITLISTED], dict(votes), *shown)


def rename_and_list(url: str, port: int, driver: Driver, standin: WebApiStandIn) -> tuple[int, int]:
    """Rename the network from this process, then ask the web processes for it; how many of
    the answers show the new name, of how many."""
    db = Database(url)
    services = Services.build(_settings(url), db, SystemClock())
    coordinator = services.people.identify(TEAM_ID, person(0), lambda uid: Profile(uid))
    editable = services.networks.editable(coordinator, NETWORK)
    services.networks.update(
        coordinator, editable.network_id, {**editable.form.model_dump(), "name_en": RENAMED}
    )
    db.dispose()
    fresh = 0
    for number in range(LISTINGS):
        body = driver.command_body(person(number), "list eratauko")
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        link.request("POST", "/slack/events", body, driver.headers(body, FORM))
        link.getresponse().read()
        link.close()
        url_of_answer = response_url(body)
        answer = standin.wait_for_reply(url_of_answer, timeout=10) if url_of_answer else None
        fresh += answer is not None and RENAMED in json.dumps(answer.params, ensure_ascii=False)
    return fresh, LISTINGS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=POSTGRES)
    parser.add_argument("--wipe", action="store_true", help="empty a database that holds data")
    parser.add_argument("--workers", type=int, default=2, help="web processes (guide: 1 per CPU)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--priority",
        choices=PRIORITIES,
        default="batch (ours)",
        help="the after-ack processes' priority (benchmarks/priorities.py)",
    )
    args = parser.parse_args()

    url = args.database_url
    with WebApiStandIn() as standin:
        common = server_settings(standin.api_url, url, args.workers, args.threads)
        fresh_database(url, args.wipe).dispose()
        prepare_database(common)
        standin.add_channel(CHANNEL, "eratauko")
        for number in range(PEOPLE):
            standin.add_user(person(number), f"person{number}", f"Person {number}")
            standin.channels[CHANNEL].members.add(person(number))
        stage = prepare(url)
        driver = Driver(lambda body, headers: None, standin, SECRET)  # builds and signs only
        clicks, chosen = schedule(driver, stage, args.seed)
        with both_servers(common, args.workers) as (ours_port, bare_port), worker(common):
            settled(url)  # the announcement and the poll are posted
            apply(args.priority)
            bare = fire(bare_port, driver, standin, clicks, "bare Bolt")
            before = standin.last_seq
            cpu_before = cpu_by_role()
            with watching(url, ours_port) as watch:
                ours = fire(ours_port, driver, standin, clicks, "Verkosto")
            watch.cpu = spent(cpu_before, cpu_by_role())
            settling = settled(url)
            updates = sum(call.method == "chat.update" for call in standin.since(before))
            result = outcome(url, standin, stage)
            renamed = rename_and_list(url, ours_port, driver, standin)
    report(args, bare, ours, settling, updates, result, chosen, renamed, watch)


@dataclass
class Watch:
    """What was seen while Verkosto's burst lasted, every 50 ms."""

    # Database sessions waiting for a lock (a row another transaction holds), per sample.
    lock_waits: list[int] = field(default_factory=list)
    # Requests acked whose answering had not begun, and the oldest one's wait (/metrics).
    answers_waiting: list[float] = field(default_factory=list)
    oldest_waiting: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)


def _metric(text: str, name: str) -> float:
    return float(next(line for line in text.splitlines() if line.startswith(name + " ")).split()[1])


@contextmanager
def watching(url: str, port: int) -> Iterator[Watch]:
    """Sample PostgreSQL's lock waits and Verkosto's answering queue until the block ends."""
    watch, done = Watch(), threading.Event()
    db = Database(url)

    def sample() -> None:
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with db.engine.connect() as connection:
            while not done.wait(0.05):
                if not db.is_sqlite:
                    watch.lock_waits.append(connection.scalar(LOCK_WAITS) or 0)
                    connection.rollback()
                link.request("GET", "/metrics")
                metrics = link.getresponse().read().decode()
                watch.answers_waiting.append(_metric(metrics, "verkosto_answers_waiting"))
                watch.oldest_waiting.append(
                    _metric(metrics, "verkosto_answers_oldest_waiting_seconds")
                )
        link.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield watch
    finally:
        done.set()
        sampler.join()
        db.dispose()


LOCK_WAITS = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def where_the_time_went(watch: Watch, clicks: int) -> None:
    """CPU by role, lock waits and the answering queue, while the burst lasted."""
    print("\nwhile the burst lasted (from the first click to the last answer):")
    print("  CPU s: " + ", ".join(f"{role} {seconds:.2f}" for role, seconds in watch.cpu.items()))
    print(f"  after-ack CPU per click: {1000 * watch.cpu['after-ack'] / clicks:.1f} ms")
    if watch.lock_waits:
        waits = watch.lock_waits
        print(
            f"  sessions waiting for a row lock: mean {sum(waits) / len(waits):.1f}, "
            f"max {max(waits)}, in {sum(1 for w in waits if w) / len(waits):.0%} of samples"
        )
    print(
        f"  answers waiting to begin (/metrics): max {max(watch.answers_waiting):.0f}, "
        f"oldest {max(watch.oldest_waiting):.2f} s\n"
    )


def report(
    args: argparse.Namespace,
    bare: Burst,
    ours: Burst,
    settling: float,
    updates: int,
    result: Outcome,
    chosen: Counter[int],
    renamed: tuple[int, int],
    watch: Watch,
) -> None:
    backend = Database(args.database_url).url.get_backend_name()
    print(
        f"\nBurst: {PEOPLE} people press Going and vote, {2 * PEOPLE} clicks within "
        f"{WITHIN:g} s, {CONNECTIONS} connections;\nverkosto serve on {backend}, "
        f"{args.workers} processes x {args.threads} threads, a worker beside it;\n"
        f"after-ack processes: {args.priority}\n"
    )
    print(
        f"{'target':<10}{'clicks':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'sent late p99':>15}"
        f"{'last ack s':>12}{'errors':>8}{'no answer':>11}"
    )
    for burst in (bare, ours):
        run = burst.run
        late = sorted(burst.late)[min(len(burst.late) - 1, int(0.99 * len(burst.late)))] * 1000
        print(
            f"{run.target:<10}{len(run.latencies):>7}{run.median:>9.2f}{run.quantile(0.99):>9.2f}"
            f"{max(run.latencies) * 1000:>9.2f}{late:>12.1f} ms{burst.took:>12.2f}"
            f"{run.errors:>8}{run.missing_answers:>11}"
        )
    answered = sorted(ours.answered)
    if answered:
        print(
            f"Verkosto's answers on the response_url: p50 {quantile(answered, 0.5):.2f} s, "
            f"p99 {quantile(answered, 0.99):.2f} s, last {answered[-1]:.2f} s after its click"
        )
        for kind, seconds in sorted(ours.answered_by_kind.items()):
            print(
                f"  {kind:<6} p50 {quantile(seconds, 0.5):.2f} s, "
                f"p99 {quantile(seconds, 0.99):.2f} s"
            )
    ratio = ours.run.median / bare.run.median
    p99_ratio = ours.run.quantile(0.99) / bare.run.quantile(0.99)
    print(f"ratio ours/bare: p50 {ratio:.2f}, p99 {p99_ratio:.2f}")
    print(f"outbox empty {settling:.1f} s after the last answer")
    print(f"chat.update calls for the announcement and the poll: {updates}\n")

    t = Translator("en", "Europe/Helsinki")
    waiting = t.plural("event.count.waitlisted", PEOPLE - SEATS)
    voters = t.plural("poll.voters", PEOPLE)
    print(f"stored: {result.going} going, {result.waitlisted} on the waitlist")
    print(f"stored votes per option {dict(sorted(result.votes.items()))}")
    print(f"the clicks chose        {dict(sorted(chosen.items()))}")
    where_the_time_went(watch, len(ours.answered))
    answer_p99 = quantile(answered, 0.99) if answered else float("inf")
    verdicts = [
        (f"p99 ack {ours.run.quantile(0.99):.1f} ms < 1000 ms", ours.run.quantile(0.99) < 1000),
        (f"p99 answer {answer_p99:.2f} s < {ANSWER_BAR:g} s", answer_p99 < ANSWER_BAR),
        (f"clicks sent within {ours.took:.1f} s <= 10 s", ours.took <= 10),
        (
            "no errors, every click acked and answered",
            ours.run.errors == ours.run.missing_answers == bare.run.errors == 0
            and len(ours.run.latencies) == len(bare.run.latencies) == 2 * PEOPLE,
        ),
        (
            f"RSVPs exact: {SEATS} going, {PEOPLE - SEATS} waiting",
            (result.going, result.waitlisted) == (SEATS, PEOPLE - SEATS),
        ),
        ("votes exact", result.votes == dict(chosen)),
        (
            f"the announcement shows {SEATS}/{SEATS} going and {waiting}",
            f"{SEATS}/{SEATS} going" in result.announcement and waiting in result.announcement,
        ),
        (f"the poll shows {voters}", voters in result.poll_message),
        (
            f"{updates} chat.update calls, within Slack's limit of about 50 a minute",
            updates <= SLACK_UPDATES_PER_MINUTE,
        ),
        (
            f"after a rename elsewhere, {renamed[0]} of {renamed[1]} answers show the new name",
            renamed[0] == renamed[1],
        ),
    ]
    for verdict, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {verdict}")


if __name__ == "__main__":
    main()
