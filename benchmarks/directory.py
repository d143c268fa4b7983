"""How fast the public web directory answers with 2,000 published networks, through the real
`verkosto serve`, beside a static file of the same size served the same way.

The 29 real networks are copied into 2,000 (each copy its own short name and a number in its
names), all published, in one Slack workspace; then `--clients` readers at once ask for:

- `/` with a search (a word from the real networks' vocabulary, and a category now and then);
- `/` with a search never asked before (each request a different word of the networks' texts,
  so that no remembered search answers it);
- a network's page (its events, similar networks and member count read for it);
- `/api/v1/networks` (the first page of the JSON);
- the static file, as big as a search page.

    python benchmarks/directory.py [--networks 2000] [--requests 300] [--clients 4]

The bar (issue 18): a median under 50 ms for `/` with a search, remembered or not. The ratio to
the static file is printed beside each row.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ack_latency import (  # noqa: E402
    VERKOSTO,
    environment,
    free_port,
    server,
    server_settings,
)
from handlers.slack.standin.model import TEAM_ID  # noqa: E402
from handlers.slack.standin.server import WebApiStandIn  # noqa: E402

WORDS = ["ennakointi", "data", "kunta", "johtaminen", "hr", "demokratia", "foresight", "digi"]
CATEGORIES = ["", "", "", "foresight", "development"]
BAR_MS = 50.0


def networks(count: int) -> list[dict[str, object]]:
    """`count` published networks made from the real ones."""
    real = json.loads((ROOT / "bot/data/networks.json").read_text(encoding="utf-8"))
    made = []
    for number in range(count):
        record = dict(real[number % len(real)])
        copy = number // len(real)
        if copy:
            record["id"] = f"{str(record['id'])[:56]}-{copy}"
            for name in ("name_fi", "name_en", "name_sv"):
                if record.get(name):
                    record[name] = f"{record[name]} {copy}"
        record["public"] = True
        made.append(record)
    return made


def prepare(common: dict[str, str], count: int, scratch: Path) -> list[str]:
    """Migrate, import `count` published networks; their short names."""
    records = networks(count)
    data = scratch / "networks.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    env = environment(**common)
    subprocess.run([*VERKOSTO, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*VERKOSTO, "import", str(data), "--team", TEAM_ID],
        env=env,
        check=True,
        capture_output=True,
    )
    return [str(record["id"]) for record in records]


def vocabulary(count: int) -> list[str]:
    """Distinct words of the networks' names and descriptions, shuffled."""
    real = json.loads((ROOT / "bot/data/networks.json").read_text(encoding="utf-8"))
    found = {
        word.strip(".,;:()\"'").casefold()
        for record in real
        for field in ("name_fi", "name_en", "description_fi", "description_en")
        for word in str(record.get(field) or "").split()
    }
    words = sorted(word for word in found if len(word) > 3 and word.isalpha())
    random.shuffle(words)
    return (words * (count // max(1, len(words)) + 1))[:count]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.read()


def timed(urls: Callable[[], str], requests: int, clients: int) -> list[float]:
    def one(_: int) -> float:
        url = urls()
        began = time.perf_counter()
        status, _body = fetch(url)
        took = time.perf_counter() - began
        assert status == 200, url
        return took

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(requests)))


def describe(name: str, samples: list[float], static: list[float]) -> float:
    median = statistics.median(samples) * 1000
    p99 = sorted(samples)[int(0.99 * (len(samples) - 1))] * 1000
    ratio = median / (statistics.median(static) * 1000)
    print(f"{name:<32} median {median:6.1f} ms   p99 {p99:6.1f} ms   ratio to static {ratio:5.2f}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    random.seed(18)
    scratch = Path(tempfile.mkdtemp(prefix="verkosto-directory-bench-"))
    with WebApiStandIn() as slack:
        common = {
            **server_settings(
                slack.api_url, f"sqlite:///{scratch}/bench.db", args.workers, args.threads
            ),
            "VERKOSTO_WEB_DIRECTORY": "on",
        }
        began = time.perf_counter()
        slugs = prepare(common, args.networks, scratch)
        print(f"{args.networks} networks imported in {time.perf_counter() - began:.1f} s")
        ours, static = free_port(), free_port()
        with server(
            [*VERKOSTO, "serve"],
            environment(**common, PORT=str(ours)),
            "background process for work after the ack is ready",
            args.workers,
        ):
            site = f"http://127.0.0.1:{ours}"
            _, page = fetch(f"{site}/?q=ennakointi")
            (scratch / "page.html").write_bytes(page)
            with server(
                [sys.executable, "benchmarks/static_file.py"],
                environment(**common, PORT=str(static), STATIC_FILE=str(scratch / "page.html")),
                "Booting worker",
                args.workers,
            ):

                def search() -> str:
                    category = random.choice(CATEGORIES)
                    query = f"q={random.choice(WORDS)}" + (
                        f"&category={category}" if category else ""
                    )
                    return f"{site}/?{query}"

                fresh = iter(vocabulary(args.requests + 100))

                def new_search() -> str:
                    return f"{site}/?q={urllib.parse.quote(next(fresh))}"

                def network_page() -> str:
                    return f"{site}/networks/{random.choice(slugs)}"

                def api_page() -> str:
                    return f"{site}/api/v1/networks?offset={random.randrange(0, 1900, 20)}"

                def static_page() -> str:
                    return f"http://127.0.0.1:{static}/"

                for warm in (search, network_page, api_page, static_page):
                    timed(warm, 50, args.clients)
                results = {}
                for name, urls in (
                    ("static file", static_page),
                    ("/ with a search", search),
                    ("/ with a search never asked", new_search),
                    ("a network's page", network_page),
                    ("/api/v1/networks", api_page),
                ):
                    results[name] = timed(urls, args.requests, args.clients)
    print(
        f"{args.networks} published networks, {args.requests} requests each, {args.clients} "
        f"readers at once, {args.workers} processes of {args.threads} threads, SQLite; "
        f"a search page is {len(page):,} bytes"
    )
    static_times = results.pop("static file")
    describe("static file of the same size", static_times, static_times)
    medians = {name: describe(name, samples, static_times) for name, samples in results.items()}
    held = all(
        medians[name] < BAR_MS for name in ("/ with a search", "/ with a search never asked")
    )
    print(f"bar: median of / with a search under {BAR_MS:.0f} ms: {'PASS' if held else 'FAIL'}")
    sys.exit(0 if held else 1)


if __name__ == "__main__":
    main()
