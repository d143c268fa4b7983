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
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.similarity import (  # noqa: E402
    STRUCTURE_WEIGHT,
    TOPIC_WEIGHT,
    Profile,
    TopicModel,
    _match,
    _Sources,
    rank,
)

DEFAULT_JUDGEMENTS = ROOT / "benchmarks" / "judgements" / "networks-similar.json"
SCOPES = ("state", "municipalities", "wellbeing_regions", "researchers", "ngos", "private_sector")
CATEGORIES = ("professional_support", "development", "communication", "foresight", "participation")
ASKS = 50


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
    for number, record in enumerate(records):
        others = [p for p in profiles if p.id != number]
        top = [slugs[m.id] for m in rank([profiles[number]], others, model, {}, set(), 3)]
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
    gathered = _Sources.of([source], set())
    scores = model.similarities([source.id])
    matches = [
        _match(c, max(float(scores[model.position[c.id]]), 0.0), gathered, set())
        for c in candidates
    ]
    matches.sort(key=lambda match: (-match.score, match.id))
    return [match.id for match in matches[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("judgements", nargs="?", default=str(DEFAULT_JUDGEMENTS))
    parser.add_argument("--networks", type=int, default=10_000)
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
    chance = random.Random(7)
    ours, theirs = [], []
    for _ in range(ASKS):
        source = profiles[chance.randrange(len(profiles))]
        candidates = [p for p in profiles if p.id != source.id]
        began = time.perf_counter()
        top = [m.id for m in rank([source], candidates, model, {}, set(), 5)]
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


if __name__ == "__main__":
    main()
