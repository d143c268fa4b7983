"""How fast a vote is acknowledged with 50 people voting at once, compared in one run with a
bare Bolt app that only acks the same button on the same kind of server.

    python benchmarks/votes.py [--votes 1000] [--database-url postgresql://... --wipe]

Both servers run as separate processes on gunicorn with the same settings (see ack_latency.py,
whose load runner this uses). 500 members of a network vote on one poll, 50 at a time, each
pressing a random option; the ack is the latency measured. For Verkosto each voter also waits
for their confirmation on the response_url (and the poll message is updated in place), so every
vote is counted before the next one from the same person. At the end the stored votes must add
up to what the last presses chose.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ack_latency import (  # noqa: E402
    SECRET,
    Run,
    both_servers,
    load,
    prepare_database,
    server_settings,
)
from databases import add_members, fresh_database  # noqa: E402

from bot.results.people import Profile  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.slack.standin.driver import Driver  # noqa: E402
from handlers.slack.standin.model import TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402
from storage.database import Database  # noqa: E402

VOTERS = 500
NETWORK = "kansallinen-ennakointiverkosto"
OPTIONS = ("Monday", "Tuesday", "Wednesday", "Thursday")


def voter(number: int) -> str:
    return f"UV{number:07d}"


def prepare(url: str) -> tuple[int, list[str]]:
    """The members and a poll; returns the poll's id and its vote button values."""
    settings = Settings(
        slack_signing_secret=SECRET, database_url=url, verkosto_secret=SECRET, _env_file=None
    )
    db = Database(url)
    services = Services.build(settings, db)
    add_members(db, TEAM_ID, NETWORK, [voter(number) for number in range(VOTERS)])
    asker = services.people.identify(TEAM_ID, voter(0), lambda uid: Profile(uid))
    saved = services.polls.create(
        asker,
        "C0GENERAL",
        {"question": "Which day suits?", "options": OPTIONS},
        name=NETWORK,
    )
    values = [f"{saved.poll.id}:{option.id}" for option in saved.poll.options]
    db.dispose()
    return saved.poll.id, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=1000, help="per target")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--wipe", action="store_true", help="empty a database that holds data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, WebApiStandIn() as standin:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'votes.db'}"
        common = server_settings(standin.api_url, url, args.workers, args.threads)
        fresh_database(url, args.wipe or not args.database_url).dispose()
        prepare_database(common)
        poll_id, values = prepare(url)
        for number in range(VOTERS):
            standin.add_user(voter(number), f"voter{number}", f"Voter {number}")
        driver = Driver(lambda body, headers: None, standin, SECRET)  # builds and signs only
        # What each Verkosto voter's ballot should hold: pressing one's own choice takes it back.
        expected: dict[str, str | None] = {}
        counting = {"on": False}

        def press(user: str) -> str:
            value = random.choice(values)
            if counting["on"]:
                expected[user] = None if expected.get(user) == value else value
            option_id = value.split(":")[1]
            return driver.click_body(user, f"poll.vote.{option_id}", value, channel_id="C0GENERAL")

        runs = []
        with both_servers(common, args.workers) as (ours_port, bare_port):
            for clients in (1, args.clients):
                for target, port, answers in (
                    ("bare Bolt", bare_port, False),
                    ("Verkosto", ours_port, True),
                ):
                    counting["on"] = target == "Verkosto"
                    people = itertools.cycle(voter(n) for n in range(VOTERS))
                    warm = Run(target, "vote", clients)
                    load(port, driver, standin, warm, 50, answers, 0, press, people)
                    run = Run(target, "vote", clients)
                    load(port, driver, standin, run, args.votes, answers, 0.02, press, people)
                    runs.append(run)
        report(runs, args, url, poll_id, expected)


def report(
    runs: list[Run],
    args: argparse.Namespace,
    url: str,
    poll_id: int,
    expected_ballots: dict[str, str | None],
) -> None:
    backend = Database(url).url.get_backend_name()
    print(
        f"\nVote ack latency over HTTP, {args.votes} votes per row, 20 ms between one voter's "
        f"votes, gunicorn {args.workers} x {args.threads}, {backend}\n"
    )
    print(
        f"{'voters':>6}  {'target':<10}{'median ms':>11}{'p99 ms':>9}{'errors':>8}{'no answer':>11}"
    )
    for bare, ours in zip(runs[::2], runs[1::2], strict=True):
        for run in (bare, ours):
            print(
                f"{run.clients:>6}  {run.target:<10}{run.median:>11.2f}{run.quantile(0.99):>9.2f}"
                f"{run.errors:>8}{run.missing_answers:>11}"
            )
        print(
            f"{'':>8}ratio ours/bare: median {ours.median / bare.median:.2f}, "
            f"p99 {ours.quantile(0.99) / bare.quantile(0.99):.2f}"
        )
    db = Database(url)
    with db.snapshot() as store:
        counts = store.ballots.counts(poll_id)
    expected: dict[int, int] = {}
    for value in expected_ballots.values():
        if value is not None:
            option = int(value.split(":")[1])
            expected[option] = expected.get(option, 0) + 1
    print(f"stored votes per option {dict(sorted(counts.items()))}")
    print(f"what the presses add up to {dict(sorted(expected.items()))}")
    print("PASS  counts exact" if counts == expected else "FAIL  counts differ")
    clean = all(run.errors == run.missing_answers == 0 for run in runs)
    print("PASS  no errors, every answer arrived" if clean else "FAIL  errors or missing answers")


if __name__ == "__main__":
    main()
