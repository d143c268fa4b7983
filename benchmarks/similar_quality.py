"""How good the recommender's answers are, against judgements made without it, and how honestly.

- The judgements: every pair of a set of networks graded 0, 1 or 2 by two judges
  (benchmarks/judgements/network-pairs.json for bot/data/networks.json); a pair is similar when
  its grades add up to 2 or more. The older judgements (networks-similar.json: three similar
  networks for each, written by the vocabulary's authors) are reported beside them.
- The methods, each ranking every other network for each network, text and structure only (the
  judged files have no members):
  - plain TF-IDF over character n-grams of the Finnish and English texts, cosine (the baseline);
  - the method before issue 19 (bot/similarity.py and its vocabulary as of PREVIOUS, from git);
  - the present one (bot/similarity.py), with every choice of its shares and weights in `GRID`.
- Cross-validation: leave one network out; choose the present method's shares and weights on
  the other networks only (their rankings with the held-out network removed), then score the
  held-out network with that choice. No network is ever scored by a choice made on it.

The vocabulary of subjects the method before issue 19 used (bot/data/vocabulary.toml) was
written with the 29 networks in view, so no fold of them can hold it out: on them it looked
strong (0.62 cross-validated), on the held-out set it did not help (0.51 with it, 0.52
without, each with the choice best on the 29), so it is gone. That is the one decision the
held-out set was used for; those two figures were measured while the vocabulary was still an
option of the present method, which the code no longer has.

What cross-validation does not cover: the method's design (a channel per language, the
function words, n-gram lengths, how many n-grams are kept, the people signal's weight) was
made by hand while both judged sets were at hand.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tomllib
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import lemmas  # noqa: E402
from bot.similarity import (  # noqa: E402
    TOPIC_SHARES,
    WEIGHTS,
    PeopleInCommon,
    Pool,
    Profile,
    TopicModel,
    TopicShares,
    Uptake,
    Weights,
    rank,
)
from bot.text import fold  # noqa: E402

# The last commit before issue 19 changed the recommender.
PREVIOUS = "89bad07a4ff187f5b75a03afd78cab5b4a52a17c"
JUDGEMENTS = ROOT / "benchmarks" / "judgements"
NETWORKS = ROOT / "bot" / "data" / "networks.json"
TOP = 3
BOOTSTRAP = 2000

# Every choice cross-validation makes: the character n-grams' share across languages, the
# share of texts above which a word says nothing, and the structure's weight (people's stays at
# its default: the judged files have no members).
GRID = {
    "across_languages": (0.0, 0.2, 0.4, 0.6, 0.8),
    "most_texts": (0.3, 0.5, 1.0),
    "structure": (0.0, 0.05, 0.1, 0.2),
}


@dataclass(frozen=True)
class Judged:
    """Networks (records in the import format) and which pairs of them are similar."""

    name: str
    records: list[dict]
    # grades[i, j]: how good a suggestion network j is for network i, 0 to 4 (the judges'
    # grades added up); similar[i, j]: good enough to count (2 or more).
    grades: np.ndarray

    @property
    def similar(self) -> np.ndarray:
        return self.grades >= 2

    @property
    def size(self) -> int:
        return len(self.records)


def judged_pairs(networks: Path, pairs: Path, name: str) -> Judged:
    """Networks and their graded pairs: similar when the grades add up to 2 or more."""
    records = json.loads(networks.read_text(encoding="utf-8"))
    position = {record["id"]: number for number, record in enumerate(records)}
    grades = np.zeros((len(records), len(records)))
    for pair in json.loads(pairs.read_text(encoding="utf-8"))["pairs"]:
        a, b = position[pair["a"]], position[pair["b"]]
        grades[a, b] = grades[b, a] = sum(pair["grades"])
    return Judged(name, records, grades)


def judged_lists(networks_with_lists: Path, name: str) -> Judged:
    """Networks, each with a `similar` list of ids (graded 4; the rest 0)."""
    records = json.loads(networks_with_lists.read_text(encoding="utf-8"))
    position = {record["id"]: number for number, record in enumerate(records)}
    grades = np.zeros((len(records), len(records)))
    for record in records:
        for other in record["similar"]:
            grades[position[record["id"]], position[other]] = 4
    return Judged(name, records, grades)


# Rankings: for each network, every other network's position, best first.
Rankings = list[list[int]]


def texts_of(record: Mapping) -> dict[str, tuple[str | None, ...]]:
    return {
        language: (record.get(f"name_{language}"), record.get(f"description_{language}"))
        for language in ("fi", "sv", "en")
    }


def profiles_of(records: Sequence[Mapping]) -> list[Profile]:
    """The profiles the app makes of imported networks (the coordinator is the organisation)."""
    return [
        Profile.of(
            number,
            texts_of(record),
            record.get("tags", []),
            record["category"],
            record.get("scope", []),
            record.get("coordinator"),
        )
        for number, record in enumerate(records)
    ]


# How each network's members took up each other network suggested to them.
History = Mapping[int, Mapping[int, Uptake]]


def present(
    profiles: Sequence[Profile],
    shares: TopicShares = TOPIC_SHARES,
    weights: Weights = WEIGHTS,
    history: History | None = None,
) -> Rankings:
    """The present method's rankings (with a history of use, if given)."""
    model = TopicModel(profiles, shares)
    pool = Pool.of(profiles, model)
    everyone = len(profiles)
    used = history or {}
    return [
        [
            m.id
            for m in rank(
                [p], pool, model, PeopleInCommon(), everyone, {p.id}, weights, used.get(p.id)
            )
        ]
        for p in profiles
    ]


def baseline(records: Sequence[Mapping]) -> Rankings:
    """Plain TF-IDF over character n-grams of the Finnish and English texts, cosine."""
    texts = [
        fold(
            " ".join(
                record.get(key) or ""
                for key in ("name_fi", "description_fi", "name_en", "description_en")
            )
        )
        for record in records
    ]
    vectors = normalize(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(
            texts
        )
    )
    return _rankings((vectors @ vectors.T).toarray())


def previous(records: Sequence[Mapping]) -> Rankings:
    """The rankings of the method before issue 19, its code and vocabulary read from git."""
    module = types.ModuleType("previous_similarity")
    module.__dict__["__file__"] = "previous_similarity.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up while defining
    exec(_at_previous("bot/similarity.py"), module.__dict__)
    loaded = tomllib.loads(_at_previous("bot/data/vocabulary.toml"))
    vocabulary = module.Vocabulary.of(loaded["subjects"], loaded["ignored_words"])
    module.vocabulary = lambda: vocabulary
    profiles = [
        module.Profile.of(
            number,
            [record.get(key) for key in record if key.startswith(("name_", "description_"))],
            record.get("tags", []),
            record["category"],
            record.get("scope", []),
            record.get("coordinator"),
        )
        for number, record in enumerate(records)
    ]
    model = module.TopicModel(profiles)
    pool = module.Pool.of(profiles, model)
    everyone = len(profiles)
    return [
        [m.id for m in module.rank([p], pool, model, module.PeopleInCommon(), everyone, {p.id})]
        for p in profiles
    ]


def _at_previous(path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{PREVIOUS}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _rankings(scores: np.ndarray) -> Rankings:
    np.fill_diagonal(scores, -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")
    return [[int(j) for j in row if j != i] for i, row in enumerate(order)]


@dataclass(frozen=True)
class Scores:
    """Precision and recall at 3 and the reciprocal rank of the first similar network, for
    each network asked about (None where it has no similar network)."""

    precision: list[float]
    recall: list[float | None]
    reciprocal_rank: list[float | None]


def scores(rankings: Rankings, similar: np.ndarray, left_out: int | None = None) -> Scores:
    """Each network's scores, with `left_out` neither asked about nor suggested."""
    precision: list[float] = []
    recall: list[float | None] = []
    reciprocal: list[float | None] = []
    for asked, ranking in enumerate(rankings):
        if asked == left_out:
            continue
        ranked = [other for other in ranking if other != left_out]
        wanted = similar[asked].copy()
        if left_out is not None:
            wanted[left_out] = False
        hits = int(wanted[ranked[:TOP]].sum())
        precision.append(hits / TOP)
        found = [place for place, other in enumerate(ranked, 1) if wanted[other]]
        recall.append(hits / int(wanted.sum()) if wanted.any() else None)
        reciprocal.append(1 / found[0] if found else None)
    return Scores(precision, recall, reciprocal)


def summary(values: Sequence[float | None], seed: int = 19) -> str:
    """The mean with a 95 % bootstrap interval over the networks asked about."""
    known = np.array([value for value in values if value is not None])
    resampled = np.random.default_rng(seed).choice(known, (BOOTSTRAP, len(known))).mean(axis=1)
    low, high = np.percentile(resampled, [2.5, 97.5])
    return f"{known.mean():.2f} [{low:.2f}, {high:.2f}]"


def paired(ours: Scores, theirs: Scores, seed: int = 19) -> str:
    """Precision at 3 of ours less theirs, network by network: the mean difference with a 95 %
    bootstrap interval over the same networks resampled for both."""
    differences = np.array(ours.precision) - np.array(theirs.precision)
    chance = np.random.default_rng(seed)
    picks = chance.integers(0, len(differences), (BOOTSTRAP, len(differences)))
    low, high = np.percentile(differences[picks].mean(axis=1), [2.5, 97.5])
    return f"{differences.mean():+.2f} [{low:+.2f}, {high:+.2f}]"


def report(label: str, result: Scores) -> str:
    return (
        f"  {label:<44} P@3 {summary(result.precision)}  R@3 {summary(result.recall)}"
        f"  MRR {summary(result.reciprocal_rank)}"
    )


@dataclass(frozen=True)
class Choice:
    """One setting of everything cross-validation chooses."""

    shares: TopicShares
    weights: Weights

    def describe(self) -> str:
        return (
            f"across languages {self.shares.across_languages}, words in at most "
            f"{self.shares.most_texts} of texts, structure {self.weights.structure}"
        )


def choices() -> list[Choice]:
    """Every choice in `GRID`, in the grid's order (ties go to the earlier)."""
    found = []
    for across, most, structure in itertools.product(*GRID.values()):
        topic = WEIGHTS.topic + WEIGHTS.structure - structure
        found.append(
            Choice(
                TopicShares(across_languages=across, most_texts=most),
                Weights(topic=topic, people=WEIGHTS.people, structure=structure),
            )
        )
    return found


def cross_validate(
    judged: Judged, profiles: Sequence[Profile], progress: Callable[[str], None] = print
) -> tuple[Scores, dict[Choice, int]]:
    """Leave-one-out: each network scored by the choice that was best on the others.
    Returns the held-out scores and how often each choice was made."""
    candidates = choices()
    progress(f"  ranking with each of {len(candidates)} choices…")
    rankings = {choice: present(profiles, choice.shares, choice.weights) for choice in candidates}
    precision, recall, reciprocal = [], [], []
    chosen: dict[Choice, int] = {}
    for held_out in range(judged.size):
        best = max(
            candidates,
            key=lambda choice: _tuning_score(rankings[choice], judged.similar, held_out),
        )
        chosen[best] = chosen.get(best, 0) + 1
        alone = scores(rankings[best], judged.similar)
        precision.append(alone.precision[held_out])
        recall.append(alone.recall[held_out])
        reciprocal.append(alone.reciprocal_rank[held_out])
    return Scores(precision, recall, reciprocal), chosen


def best_choice(judged: Judged, profiles: Sequence[Profile]) -> Choice:
    """The choice best on all the judged networks (what is shipped, once cross-validation has
    shown how well choosing this way holds on networks left out)."""
    return max(
        choices(),
        key=lambda choice: _tuning_score(
            present(profiles, choice.shares, choice.weights), judged.similar, None
        ),
    )


def _tuning_score(rankings: Rankings, similar: np.ndarray, left_out: int | None) -> float:
    """What a choice is chosen by: precision at 3, then the reciprocal rank, on the networks
    other than `left_out`."""
    result = scores(rankings, similar, left_out)
    reciprocal = [value for value in result.reciprocal_rank if value is not None]
    return float(np.mean(result.precision)) + 1e-3 * float(np.mean(reciprocal))


@contextmanager
def finnish_read_by_simplemma() -> Iterator[None]:
    """Finnish read as where Voikko is missing, for comparison."""
    real = lemmas._voikko
    lemmas._voikko = lambda: (None, lemmas.FinnishAnalysis("simplemma", "switched off"))
    lemmas._analysed.cache_clear()
    try:
        yield
    finally:
        lemmas._voikko = real
        lemmas._analysed.cache_clear()


def judged_sets() -> tuple[list[Judged], Judged | None]:
    """The sets judged on bot/data/networks.json, and the held-out set if it is there."""
    tuned_on = [
        judged_pairs(NETWORKS, JUDGEMENTS / "network-pairs.json", "every pair, two judges"),
        judged_lists(JUDGEMENTS / "networks-similar.json", "three similar each, older lists"),
    ]
    held_out_networks = JUDGEMENTS / "held-out-networks.json"
    held_out = (
        judged_pairs(held_out_networks, JUDGEMENTS / "held-out-pairs.json", "held out")
        if held_out_networks.exists()
        else None
    )
    return tuned_on, held_out


def quality(cross_validated: bool) -> None:
    """Print every method's scores on every judged set, side by side."""
    tuned_on, held_out = judged_sets()
    print(f"quality: {lemmas.finnish_analysis().analyser} reads Finnish")
    print("  mean [95 % interval over the networks asked about]")
    for judged in [*tuned_on, *([held_out] if held_out else [])]:
        print(f"\n{judged.name}: {judged.size} networks, {int(judged.similar.sum())} similar")
        plain = scores(baseline(judged.records), judged.similar)
        before = scores(previous(judged.records), judged.similar)
        now = scores(present(profiles_of(judged.records)), judged.similar)
        print(report("plain TF-IDF over character n-grams", plain))
        print(report("before issue 19", before))
        print(report("present", now))
        with finnish_read_by_simplemma():
            fallback = present(profiles_of(judged.records))
        print(report("present, simplemma reading Finnish", scores(fallback, judged.similar)))
        print(f"  P@3 present less plain TF-IDF, paired: {paired(now, plain)}")
        print(f"  P@3 present less before issue 19, paired: {paired(now, before)}")
    if not cross_validated:
        return
    print("\ncross-validated (leave one network out; each scored by a choice made without it):")
    for judged in tuned_on:
        profiles = profiles_of(judged.records)
        result, chosen = cross_validate(judged, profiles, progress=lambda _: None)
        print(f"\n{judged.name}:")
        print(report("present, choices made without the network", result))
        for choice, times in sorted(chosen.items(), key=lambda item: -item[1])[:3]:
            print(f"    chosen {times} times: {choice.describe()}")
        print(f"    best on all of them: {best_choice(judged, profiles).describe()}")
    print(f"\nshipped: {Choice(TOPIC_SHARES, WEIGHTS).describe()}")
    from benchmarks.similar_use import cross_validate_use  # it builds on this module

    for judged in [*tuned_on, *([held_out] if held_out else [])]:
        cross_validate_use(judged)
