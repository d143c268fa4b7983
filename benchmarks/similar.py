"""The similar-networks recommender: its quality against people's judgements, and its speed.

    python benchmarks/similar.py [--cross-validate] [--networks 10000] [--quality-only]

1. Quality (benchmarks/similar_quality.py says how): precision and recall at 3 and MRR, with 95 %
   intervals, of the plain TF-IDF baseline, the method before issue 19 and the present one, on
   - every pair of bot/data/networks.json graded by two judges (judgements/network-pairs.json);
   - the older lists of three similar networks each (judgements/networks-similar.json);
   - a held-out set of other real networks and their graded pairs
     (judgements/held-out-networks.json, judgements/held-out-pairs.json).
   The present method with Voikko reading Finnish, and with simplemma in its place; paired
   differences. With `--cross-validate`, the present method's choices (shares and weights) are
   made by leave-one-out on the judged networks, each scored by a choice made without it, and
   the weight of use on simulated histories (benchmarks/similar_use.py).
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.databases import fresh_database  # noqa: E402
from benchmarks.similar_quality import quality  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.domain import Category, MembershipStatus  # noqa: E402
from bot.lemmas import finnish_analysis  # noqa: E402
from bot.results.people import Actor  # noqa: E402
from bot.services.catalog import NetworkCatalog  # noqa: E402
from bot.services.recommendations import RecommendationService  # noqa: E402
from bot.similarity import (  # noqa: E402
    WEIGHTS,
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

NETWORKS = ROOT / "bot" / "data" / "networks.json"
SCOPES = ("state", "municipalities", "wellbeing_regions", "researchers", "ngos", "private_sector")
CATEGORIES = ("professional_support", "development", "communication", "foresight", "participation")
ASKS = 50
PEOPLE = 10_000
MEMBERS_EACH = 5
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Synthetic:
    """A made-up network: its descriptions in Finnish and English, and its profile."""

    descriptions: dict[str, str]
    profile: Profile


def synthetic(records: list[dict], count: int) -> list[Synthetic]:
    chance = random.Random(2026)
    words = {
        language: [w for r in records for w in r.get(f"description_{language}", "").split()]
        for language in ("fi", "en")
    }
    tags = sorted({tag for record in records for tag in record.get("tags", [])})
    made = []
    for number in range(count):
        descriptions = {
            language: " ".join(chance.choices(pool, k=chance.randint(15, 45)))
            for language, pool in words.items()
        }
        profile = Profile.of(
            number,
            {language: [text] for language, text in descriptions.items()},
            chance.sample(tags, 4),
            chance.choice(CATEGORIES),
            chance.sample(SCOPES, chance.randint(1, 3)),
            None,
        )
        made.append(Synthetic(descriptions, profile))
    return made


def naive(source: Profile, candidates: list[Profile], model: TopicModel, limit: int) -> list[int]:
    """Every candidate scored in full, then sorted."""
    gathered = _Sources.of([source], PeopleInCommon(), {})
    scores = model.similarities([source.id])
    matches = [
        _match(c, max(float(scores[model.position[c.id]]), 0.0), gathered) for c in candidates
    ]
    matches.sort(key=lambda match: (-match.score, match.id))
    return [match.id for match in matches[:limit]]


def store(db: Database, networks: list[Synthetic], records: list[dict]) -> Actor:
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
                    "description_fi": made.descriptions["fi"],
                    "description_en": made.descriptions["en"],
                    "category": Category(p.category),
                    "scope": sorted(p.scope),
                    "tags": sorted(p.tags),
                    "calendar_token": f"bench-calendar-{p.id:08d}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for made in networks
                for p in [made.profile]
            ],
        )
        ids = list(connection.scalars(select(Network.id).order_by(Network.id)))
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
                for network in ids
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
    database_url: str | None, wipe: bool, made: list[Synthetic], records: list[dict]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = fresh_database(database_url or f"sqlite:///{scratch}/similar.db", wipe)
        actor = store(db, made, records)
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
        f"\nthrough the service ({db.url.get_backend_name()}, {len(made)} networks, "
        f"{len(made) * MEMBERS_EACH} memberships), median of {ASKS}:"
    )
    print(f"  first ask (reads everything, builds the model): {first * 1000:.0f} ms")
    for label, median in (("by id", by_id), ("by name", by_name), ("by short name", by_slug)):
        print(f"  {'PASS' if median < 20 else 'FAIL'}  {label}: {median:.1f} ms (bar 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cross-validate", action="store_true", help="choose by leave-one-out")
    parser.add_argument("--quality-only", action="store_true", help="skip the speed")
    parser.add_argument("--networks", type=int, default=10_000)
    parser.add_argument("--database-url", help="a database to fill (default: temporary SQLite)")
    parser.add_argument("--wipe", action="store_true", help="empty --database-url first")
    args = parser.parse_args()
    quality(args.cross_validate)
    if args.quality_only:
        return
    records = json.loads(NETWORKS.read_text(encoding="utf-8"))
    began = time.perf_counter()
    made = synthetic(records, args.networks)
    profiles = [network.profile for network in made]
    analysed = time.perf_counter() - began
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
    print(
        f"building the topic model for {args.networks} networks: {built:.1f} s, after "
        f"{analysed:.1f} s reading their texts ({finnish_analysis().analyser} for Finnish)"
    )
    print(
        f"(weights: topic {WEIGHTS.topic}, people {WEIGHTS.people}, structure {WEIGHTS.structure})"
    )
    through_the_service(args.database_url, args.wipe, made, records)


if __name__ == "__main__":
    main()
