"""How similar networks are, from three kinds of signal, with the reasons a person understands.

- Topic: TF-IDF over character n-grams (scikit-learn) of every network's names, descriptions and
  keywords in all its languages. N-grams within words let inflected Finnish and compounds meet
  ("ennakointiverkosto", "ennakoinnin", "ennakointi"); n-grams common to most networks
  ("verkosto", "network") weigh little. Blended with the subjects of the field's vocabulary
  (bot/data/vocabulary.toml) that the texts name, which meet across languages ("framsyn",
  "ennakointi" and "foresight" are one subject).
- People: the members two networks share, as a share of both sizes (so that a very large network
  does not come first for everyone), and the same coordinating organisation.
- Structure: the same category, and who takes part besides the state.

Pure computation: the service gives it plain profiles and membership counts.
"""

from __future__ import annotations

import math
import re
import threading
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.text import fold

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

TOPIC_WEIGHT = 0.5
# Within the topic signal: the vocabulary's subjects, the rest the texts' character n-grams.
SUBJECT_SHARE = 0.4
# Vocabulary stems shorter than this match only where a word starts.
ANYWHERE_STEM = 5
# Up to this many networks, every pair's similarity is kept (16 MB for 2,000) once asked for.
PAIRWISE_UP_TO = 3000
# A network's text is represented by its most distinctive n-grams only: the rest add little to
# the similarity and much to the time of every ask (measured in benchmarks/similar.py).
NGRAMS_KEPT = 256
PEOPLE_WEIGHT = 0.4
STRUCTURE_WEIGHT = 0.1
# Within the people signal: shared members, then a shared coordinating organisation.
MEMBERS_SHARE = 0.8
# One or two people in common say little: the members' overlap counts fully only with more.
SHARED_DAMPING = 2
# Within the structure signal: the same category, then the overlap of who takes part.
CATEGORY_SHARE = 0.5
BASE_SCOPE = "state"
# How far numpy's sums may stray from the same score added up one candidate at a time.
ROUNDING = 1e-9
_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Vocabulary:
    """The subjects of the field, each found in a text by its stems in any language, and the
    words that say nothing of a subject."""

    patterns: Mapping[str, re.Pattern[str]]
    ignored: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, stems_by_subject: Mapping[str, Sequence[str]], ignored: Iterable[str] = ()
    ) -> Vocabulary:
        def piece(stem: str) -> str:
            bare = stem.removeprefix("^")
            anywhere = len(bare) >= ANYWHERE_STEM and not stem.startswith("^")
            return re.escape(bare) if anywhere else rf"\b{re.escape(bare)}"

        return cls(
            {
                subject: re.compile("|".join(piece(stem) for stem in stems))
                for subject, stems in stems_by_subject.items()
            },
            frozenset(ignored),
        )

    def subjects(self, folded_text: str) -> frozenset[str]:
        return frozenset(s for s, pattern in self.patterns.items() if pattern.search(folded_text))

    def meaningful(self, folded_text: str) -> str:
        """The text without its ignored words."""
        return " ".join(word for word in _WORD.findall(folded_text) if word not in self.ignored)


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary shipped with the bot."""
    source = resources.files("bot").joinpath("data/vocabulary.toml").read_text(encoding="utf-8")
    loaded = tomllib.loads(source)
    return Vocabulary.of(loaded["subjects"], loaded["ignored_words"])


@dataclass(frozen=True)
class Profile:
    """What the model knows of a network."""

    id: int
    text: str
    tags: frozenset[str]
    category: str
    scope: frozenset[str]
    organisation: str | None = None
    subjects: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        id: int,
        texts: Iterable[str | None],
        tags: Iterable[str],
        category: str,
        scope: Iterable[str],
        organisation: str | None,
    ) -> Profile:
        tag_words = [tag.replace("-", " ") for tag in tags]
        text = " ".join(fold(part) for part in [*texts, *tag_words] if part)
        return cls(
            id=id,
            text=vocabulary().meaningful(text),
            tags=frozenset(tag_words),
            category=category,
            scope=frozenset(scope),
            organisation=fold(organisation) if organisation else None,
            subjects=vocabulary().subjects(text),
        )


@dataclass(frozen=True)
class PeopleInCommon:
    """The people behind the sources, in numbers: how many they are (`fellows`: a network's
    members, or the people in a person's networks), how many of them each network has
    (`shared`), and the size of each network that has any (`sizes`)."""

    fellows: int = 0
    shared: Mapping[int, int] = field(default_factory=dict)
    sizes: Mapping[int, int] = field(default_factory=dict)
    # Whether `sizes` holds every network with members (a network missing from it has none).
    every_size: bool = False


class PeopleIndex:
    """Who is in which network, for asking about many networks in turn: the members any two
    networks share, from one sparse product of the membership matrix (scipy)."""

    def __init__(self, memberships: Iterable[tuple[int, int]]) -> None:
        pairs = list(memberships)
        networks = sorted({network for network, _ in pairs})
        people = {person: column for column, person in enumerate({p for _, p in pairs})}
        self._networks = networks
        self._row = {network: row for row, network in enumerate(networks)}
        self._column = people
        rows = [self._row[network] for network, _ in pairs]
        columns = [people[person] for _, person in pairs]
        matrix = csr_matrix(
            (np.ones(len(pairs), dtype=np.int32), (rows, columns)),
            shape=(len(networks), len(people)),
        )
        self._members = matrix
        self._shared = (matrix @ matrix.T).tocsr()
        self._sizes = dict(zip(networks, self._shared.diagonal().tolist(), strict=True))

    def around(self, network_id: int) -> PeopleInCommon:
        """The people of one network, as `PeopleInCommon` for ranking networks like it."""
        row = self._row.get(network_id)
        if row is None:
            return PeopleInCommon()
        start, end = self._shared.indptr[row], self._shared.indptr[row + 1]
        shared = {
            self._networks[column]: int(count)
            for column, count in zip(
                self._shared.indices[start:end].tolist(),
                self._shared.data[start:end].tolist(),
                strict=True,
            )
        }
        return PeopleInCommon(self._sizes[network_id], shared, self._sizes, every_size=True)

    def around_person(self, person_id: int, network_ids: Collection[int]) -> PeopleInCommon:
        """The people of a person's networks (`network_ids`), the person left out, as
        `PeopleInCommon` for ranking networks for them."""
        rows = [self._row[network] for network in network_ids if network in self._row]
        if not rows:
            return PeopleInCommon()
        fellows = np.asarray(self._members[rows].sum(axis=0)).ravel() > 0
        if person_id in self._column:
            fellows[self._column[person_id]] = False
        counts = self._members @ fellows.astype(np.int32)
        found = np.flatnonzero(counts)
        shared = dict(
            zip(
                [self._networks[row] for row in found.tolist()],
                counts[found].tolist(),
                strict=True,
            )
        )
        return PeopleInCommon(int(fellows.sum()), shared, self._sizes, every_size=True)


@dataclass(frozen=True)
class Match:
    """One recommended network, its score, and what it was recommended for."""

    id: int
    score: float
    topic: float
    people: float
    structure: float
    shared_tags: tuple[str, ...]
    shared_subjects: tuple[str, ...]
    shared_members: int
    shared_scope: tuple[str, ...]
    same_organisation: bool


class TopicModel:
    """The TF-IDF vectors of a set of networks, of their texts and of their subjects; a blend of
    the cosine similarities in both."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self.ids = [profile.id for profile in profiles]
        self.position = {network_id: index for index, network_id in enumerate(self.ids)}
        self.texts = _strongest(
            _fitted(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                    max_df=0.6,
                    dtype=np.float32,
                ),
                [profile.text for profile in profiles],
            ),
            NGRAMS_KEPT,
        )
        self.subjects = _fitted(
            TfidfVectorizer(analyzer=sorted, dtype=np.float32),
            [profile.subjects for profile in profiles],
        )
        self._pairwise: np.ndarray | None = None
        self._pairwise_lock = threading.Lock()

    def similarities(self, source_ids: Iterable[int]) -> np.ndarray:
        """Similarity of every network (in `ids` order) with the sources, by texts and subjects;
        zeros when the sources are unknown."""
        rows = [self.position[i] for i in source_ids if i in self.position]
        if len(rows) == 1 and len(self.ids) <= PAIRWISE_UP_TO:
            return self.pairwise()[rows[0]]
        by_text = _cosine_to_centre(self.texts, rows, len(self.ids))
        by_subject = _cosine_to_centre(self.subjects, rows, len(self.ids))
        return (1 - SUBJECT_SHARE) * by_text + SUBJECT_SHARE * by_subject

    def pairwise(self) -> np.ndarray:
        """Every network's similarity with every other, computed once: a batch of digests asks
        about each network in turn."""
        with self._pairwise_lock:
            if self._pairwise is None:
                size = len(self.ids)
                blend = np.zeros((size, size), dtype=np.float32)
                for share, matrix in (
                    (1 - SUBJECT_SHARE, self.texts),
                    (SUBJECT_SHARE, self.subjects),
                ):
                    if matrix is not None:
                        blend += share * (matrix @ matrix.T).toarray()
                self._pairwise = blend
            return self._pairwise


def _fitted(vectorizer: TfidfVectorizer, documents: Sequence[Any]) -> spmatrix | None:
    """The documents' vectors, or None when there is nothing to learn from."""
    try:
        return vectorizer.fit_transform(documents) if documents else None
    except ValueError:  # every document empty: scikit-learn finds no vocabulary
        return None


def _strongest(matrix: spmatrix | None, kept: int) -> spmatrix | None:
    """Each row's `kept` largest weights, the row scaled back to unit length."""
    if matrix is None:
        return None
    matrix = matrix.tocsr()
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end - start > kept:
            weights = matrix.data[start:end]
            weights[weights < np.partition(weights, end - start - kept)[end - start - kept]] = 0
    matrix.eliminate_zeros()
    return normalize(matrix)


def _cosine_to_centre(matrix: spmatrix | None, rows: list[int], size: int) -> np.ndarray:
    """Cosine similarity of every row with the mean of `rows` (rows are unit vectors)."""
    if matrix is None or not rows:
        return np.zeros(size, dtype=np.float32)
    centre = np.asarray(matrix[rows].mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    if norm == 0:
        return np.zeros(size, dtype=np.float32)
    return np.asarray(matrix @ (centre / norm)).ravel()


@dataclass(frozen=True)
class _Sources:
    """What the candidates are compared with, gathered once."""

    tags: frozenset[str]
    subjects: frozenset[str]
    scope: frozenset[str]
    organisations: frozenset[str]
    categories: frozenset[str]
    people: PeopleInCommon

    @classmethod
    def of(cls, sources: Sequence[Profile], people: PeopleInCommon) -> _Sources:
        return cls(
            tags=frozenset().union(*(source.tags for source in sources)),
            subjects=frozenset().union(*(source.subjects for source in sources)),
            scope=frozenset().union(*(source.scope for source in sources)) - {BASE_SCOPE},
            organisations=frozenset(s.organisation for s in sources if s.organisation),
            categories=frozenset(source.category for source in sources),
            people=people,
        )


def _match(candidate: Profile, topic_score: float, sources: _Sources) -> Match:
    people_in_common = sources.people
    shared = people_in_common.shared.get(candidate.id, 0)
    overlap = (
        shared
        / math.sqrt(people_in_common.fellows * people_in_common.sizes[candidate.id])
        * shared
        / (shared + SHARED_DAMPING)
        if shared
        else 0.0
    )
    same_organisation = candidate.organisation in sources.organisations
    people = MEMBERS_SHARE * overlap + (1 - MEMBERS_SHARE) * same_organisation
    shared_scope = tuple(sorted((candidate.scope - {BASE_SCOPE}) & sources.scope))
    scope_union = (candidate.scope - {BASE_SCOPE}) | sources.scope
    structure = CATEGORY_SHARE * (candidate.category in sources.categories) + (
        1 - CATEGORY_SHARE
    ) * (len(shared_scope) / len(scope_union) if scope_union else 0.0)
    return Match(
        id=candidate.id,
        score=TOPIC_WEIGHT * topic_score + PEOPLE_WEIGHT * people + STRUCTURE_WEIGHT * structure,
        topic=topic_score,
        people=people,
        structure=structure,
        shared_tags=tuple(sorted(candidate.tags & sources.tags)),
        shared_subjects=tuple(sorted(candidate.subjects & sources.subjects)),
        shared_members=shared,
        shared_scope=shared_scope,
        same_organisation=same_organisation,
    )


@dataclass(frozen=True)
class Pool:
    """The networks that may be recommended, laid out once for ranking against one topic model,
    so that an ask loops over none of them in Python."""

    profiles: tuple[Profile, ...]
    index: Mapping[int, int]
    # Each profile's row in the topic model, or -1 for one the model has not seen yet.
    model_rows: np.ndarray
    categories: np.ndarray
    organisations: np.ndarray
    # Who takes part besides the state, one bit per kind of participant.
    scope_bits: Mapping[str, int]
    scopes: np.ndarray

    @classmethod
    def of(cls, profiles: Sequence[Profile], topic: TopicModel) -> Pool:
        kinds = sorted({kind for p in profiles for kind in p.scope} - {BASE_SCOPE})
        bits = {kind: 1 << place for place, kind in enumerate(kinds)}
        return cls(
            profiles=tuple(profiles),
            index={profile.id: number for number, profile in enumerate(profiles)},
            model_rows=np.array([topic.position.get(p.id, -1) for p in profiles], dtype=np.int64),
            categories=np.array([p.category for p in profiles], dtype=object),
            organisations=np.array([p.organisation or "" for p in profiles], dtype=object),
            scope_bits=bits,
            scopes=np.array(
                [sum(bits.get(kind, 0) for kind in p.scope) for p in profiles], dtype=np.uint64
            ),
        )


def _structure_scores(pool: Pool, sources: _Sources) -> np.ndarray:
    """The structure signal of every candidate in the pool, as `_match` computes it."""
    theirs = np.uint64(sum(pool.scope_bits.get(kind, 0) for kind in sources.scope))
    unknown = sum(1 for kind in sources.scope if kind not in pool.scope_bits)
    shared = np.bitwise_count(pool.scopes & theirs).astype(float)
    union = np.bitwise_count(pool.scopes | theirs).astype(float) + unknown
    overlap = np.divide(shared, union, out=np.zeros(len(pool.profiles)), where=union > 0)
    same_category = np.isin(pool.categories, list(sources.categories))
    return CATEGORY_SHARE * same_category + (1 - CATEGORY_SHARE) * overlap


def _people_scores(pool: Pool, sources: _Sources) -> np.ndarray:
    """The people signal of every candidate in the pool, as `_match` computes it one by one."""
    people = sources.people
    shared = np.zeros(len(pool.profiles))
    sizes = np.ones(len(pool.profiles))
    for network_id, count in people.shared.items():
        position = pool.index.get(network_id)
        if position is not None:
            shared[position] = count
            sizes[position] = people.sizes[network_id]
    fellows = max(people.fellows, 1)
    overlap = shared / np.sqrt(fellows * sizes) * shared / (shared + SHARED_DAMPING)
    same_organisation = (
        np.isin(pool.organisations, list(sources.organisations))
        if sources.organisations
        else np.zeros(len(pool.profiles), dtype=bool)
    )
    return MEMBERS_SHARE * overlap + (1 - MEMBERS_SHARE) * same_organisation


def rank(
    sources: Sequence[Profile],
    pool: Pool,
    topic: TopicModel,
    people: PeopleInCommon,
    limit: int,
    excluded: Collection[int] = (),
) -> list[Match]:
    """The pool's networks most like the sources, best first; none of `excluded`.

    `people` counts the sources' people (for one network, its members; for a person, the
    people in their networks, not the person) and where else they are.

    Exact, and vectorised: every signal is computed for all candidates at once (numpy); only the
    best are matched one by one, for their reasons.
    """
    if not pool.profiles or limit <= 0:
        return []
    gathered = _Sources.of(sources, people)
    scores = topic.similarities(source.id for source in sources)
    rows = pool.model_rows
    topics = np.where(rows >= 0, scores[np.maximum(rows, 0)], 0.0).clip(min=0.0)
    bound = (
        TOPIC_WEIGHT * topics
        + PEOPLE_WEIGHT * _people_scores(pool, gathered)
        + STRUCTURE_WEIGHT * _structure_scores(pool, gathered)
    )
    left_out = [pool.index[i] for i in excluded if i in pool.index]
    bound[left_out] = -np.inf
    # Every signal is computed for all candidates at once; the best are then scored one by one
    # for their reasons, in order, until no score can reach the `limit`-th best (a rounding
    # difference between the two computations can only make a few more be scored).
    matches: dict[int, Match] = {}
    best: list[float] = []
    for index in np.argsort(-bound, kind="stable").tolist():
        if bound[index] == -np.inf or (len(best) == limit and bound[index] < best[-1] - ROUNDING):
            break
        match = _match(pool.profiles[index], float(topics[index]), gathered)
        matches[index] = match
        if len(best) < limit or match.score > best[-1]:
            best = sorted([*best, match.score], reverse=True)[:limit]
    ranked = sorted(matches.values(), key=lambda match: (-match.score, match.id))
    return ranked[:limit]
