"""The similar-networks recommender: its quality against a person's judgement, and its speed.

    python benchmarks/similar.py [JUDGEMENTS] [--networks 10000]

1. Quality: precision at 3 against a judgement file shaped like `bot/data/networks.json` with a
   `similar` list of ids per network (benchmarks/judgements/networks-similar.json by default,
   written by hand from the networks' descriptions, not from the recommender's answers). Text and
   structure only: the file has no members.
2. Speed: the top 5 for one network among `--networks` synthetic networks (descriptions drawn
   from the real ones' words, real keywords, random categories and scopes), median of 50 asks,
   against a naive version that scores every network; the bar (issue 5) is a median under 20 ms.
3. How long building the topic model takes for those networks.
4. The same asks through the service, as a command makes them: the networks and their members
   stored in a database (`--database-url`, a temporary SQLite file by default), each of the
   synthetic networks with 5 members drawn from 10,000 people; asked by id (a button) and by
   name (what a person types).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.databases import fresh_database  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.domain import Category, MembershipStatus  # noqa: E402
from bot.results.people import Actor  # noqa: E402
from bot.services.catalog import NetworkCatalog  # noqa: E402
from bot.services.recommendations import RecommendationService  # noqa: E402
from bot.similarity import (  # noqa: E402
    STRUCTURE_WEIGHT,
    TOPIC_WEIGHT,
    PeopleInCommon,
    Pool,
    Profile,
    TopicModel,
    _match,
    _Sources,
    rank,
)
from storage.database import Database  # noqa: E402
from storage.models import Membership, Network, Person, Workspace  # noqa: E402

DEFAULT_JUDGEMENTS = ROOT / "benchmarks" / "judgements" / "networks-similar.json"
SCOPES = ("state", "municipalities", "wellbeing_regions", "researchers", "ngos", "private_sector")
CATEGORIES = ("professional_support", "development", "communication", "foresight", "participation")
ASKS = 50
PEOPLE = 10_000
MEMBERS_EACH = 5
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def profile_of(number: int, record: dict) -> Profile:
    texts = [record.get(key) for key in record if key.startswith(("name_", "description_"))]
    return Profile.of(
        number, texts, record.get("tags", []), record["category"], record.get("scope", []), None
    )


def precision_at_3(records: list[dict]) -> tuple[float, list[str]]:
    profiles = [profile_of(number, record) for number, record in enumerate(records)]
    model = TopicModel(profiles)
    slugs = [record["id"] for record in records]
    hits, misses = [], []
    pool = Pool.of(profiles, model)
    for number, record in enumerate(records):
        ranked = rank([profiles[number]], pool, model, PeopleInCommon(), 3, excluded={number})
        top = [slugs[m.id] for m in ranked]
        found = len(set(top) & set(record["similar"]))
        hits.append(found / 3)
        if found < 2:
            misses.append(
                f"{record['id']}: {', '.join(top)} (judged {', '.join(record['similar'])})"
            )
    return statistics.mean(hits), misses


def synthetic(records: list[dict], count: int) -> list[Profile]:
    chance = random.Random(2026)
    words = [
        w for r in records for key in r if key.startswith("description_") for w in r[key].split()
    ]
    tags = sorted({tag for record in records for tag in record.get("tags", [])})
    return [
        Profile.of(
            number,
            [" ".join(chance.choices(words, k=chance.randint(30, 90)))],
            chance.sample(tags, 4),
            chance.choice(CATEGORIES),
            chance.sample(SCOPES, chance.randint(1, 3)),
            None,
        )
        for number in range(count)
    ]


def naive(source: Profile, candidates: list[Profile], model: TopicModel, limit: int) -> list[int]:
    """Every candidate scored in full, then sorted."""
    gathered = _Sources.of([source], PeopleInCommon())
    scores = model.similarities([source.id])
    matches = [
        _match(c, max(float(scores[model.position[c.id]]), 0.0), gathered) for c in candidates
    ]
    matches.sort(key=lambda match: (-match.score, match.id))
    return [match.id for match in matches[:limit]]


def store(db: Database, profiles: list[Profile], records: list[dict]) -> Actor:
    """The synthetic networks in the database with their members; bulk-inserted, since building
    the data is not what is measured. Returns someone who belongs to none of them."""
    chance = random.Random(11)
    with db.engine.begin() as connection:
        workspace = connection.execute(
            insert(Workspace)
            .values(team_id="TBENCH", name="bench", created_at=NOW)
            .returning(Workspace.id)
        ).scalar_one()
        connection.execute(
            insert(Person),
            [
                {
                    "workspace_id": workspace,
                    "user_id": f"UB{n:05d}",
                    "display_name": f"Person {n}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for n in range(PEOPLE + 1)
            ],
        )
        people = list(connection.scalars(select(Person.id).order_by(Person.id)))
        names = [record["name_fi"] for record in records if record.get("name_fi")]
        connection.execute(
            insert(Network),
            [
                {
                    "workspace_id": workspace,
                    "slug": f"network-{p.id}",
                    "name_fi": f"{chance.choice(names)} {p.id}",
                    "description_fi": p.text,
                    "category": Category(p.category),
                    "scope": sorted(p.scope),
                    "tags": sorted(p.tags),
                    "calendar_token": f"bench-calendar-{p.id:08d}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for p in profiles
            ],
        )
        networks = list(connection.scalars(select(Network.id).order_by(Network.id)))
        connection.execute(
            insert(Membership),
            [
                {
                    "workspace_id": workspace,
                    "network_id": network,
                    "person_id": person,
                    "status": MembershipStatus.ACTIVE,
                    "joined_at": NOW,
                }
                for network in networks
                for person in chance.sample(people[1:], MEMBERS_EACH)
            ],
        )
    return Actor(workspace, "TBENCH", people[0], "UB00000", "Person 0", "fi", "Europe/Helsinki")


def median_ms(asks: list[Callable[[], object]]) -> float:
    timings = []
    for ask in asks:
        began = time.perf_counter()
        ask()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def through_the_service(
    database_url: str | None, wipe: bool, profiles: list[Profile], records: list[dict]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = fresh_database(database_url or f"sqlite:///{scratch}/similar.db", wipe)
        actor = store(db, profiles, records)
        service = RecommendationService(db, FrozenClock(NOW), NetworkCatalog())
        with db.snapshot() as snapshot:
            networks = snapshot.networks.all_in(actor.workspace_id)
        chance = random.Random(5)
        asked = [networks[chance.randrange(len(networks))] for _ in range(ASKS)]
        began = time.perf_counter()
        service.similar(actor, network_id=asked[0].id)
        first = time.perf_counter() - began
        by_id = median_ms([lambda n=n: service.similar(actor, network_id=n.id) for n in asked])
        by_name = median_ms([lambda n=n: service.similar(actor, n.name_fi) for n in asked])
        by_slug = median_ms([lambda n=n: service.similar(actor, n.slug) for n in asked])
        db.dispose()
    print(
        f"\nthrough the service ({db.url.get_backend_name()}, {len(profiles)} networks, "
        f"{len(profiles) * MEMBERS_EACH} memberships), median of {ASKS}:"
    )
    print(f"  first ask (reads everything, builds the model): {first * 1000:.0f} ms")
    for label, median in (("by id", by_id), ("by name", by_name), ("by short name", by_slug)):
        print(f"  {'PASS' if median < 20 else 'FAIL'}  {label}: {median:.1f} ms (bar 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("judgements", nargs="?", default=str(DEFAULT_JUDGEMENTS))
    parser.add_argument("--networks", type=int, default=10_000)
    parser.add_argument("--database-url", help="a database to fill (default: temporary SQLite)")
    parser.add_argument("--wipe", action="store_true", help="empty --database-url first")
    args = parser.parse_args()
    records = json.loads(Path(args.judgements).read_text(encoding="utf-8"))

    precision, misses = precision_at_3(records)
    print(f"quality: precision at 3 over {len(records)} networks: {precision:.2f}")
    for miss in misses:
        print(f"  fewer than 2 of 3 judged: {miss}")

    profiles = synthetic(records, args.networks)
    began = time.perf_counter()
    model = TopicModel(profiles)
    built = time.perf_counter() - began
    pool = Pool.of(profiles, model)
    chance = random.Random(7)
    ours, theirs = [], []
    for _ in range(ASKS):
        source = profiles[chance.randrange(len(profiles))]
        candidates = [p for p in profiles if p.id != source.id]
        began = time.perf_counter()
        ranked = rank([source], pool, model, PeopleInCommon(), 5, excluded={source.id})
        top = [m.id for m in ranked]
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        expected = naive(source, candidates, model, 5)
        theirs.append(time.perf_counter() - began)
        assert top == expected, (top, expected)
    median = statistics.median(ours) * 1000
    print(
        f"\nspeed: top 5 among {args.networks} networks, median of {ASKS}: {median:.1f} ms "
        f"(naive, every network scored: {statistics.median(theirs) * 1000:.1f} ms; same answers)"
    )
    print(f"  {'PASS' if median < 20 else 'FAIL'}  median under 20 ms")
    print(f"building the topic model for {args.networks} networks: {built:.1f} s")
    print(
        f"(weights: topic {TOPIC_WEIGHT}, people {1 - TOPIC_WEIGHT - STRUCTURE_WEIGHT:.1f}, "
        f"structure {STRUCTURE_WEIGHT})"
    )
    through_the_service(args.database_url, args.wipe, profiles, records)


if __name__ == "__main__":
    main()
