"""How similar networks are, from three kinds of signal, with the reasons a person understands.

- Topic: what the networks' texts are about.
  - In each language both networks are described in (Finnish, Swedish, English) and in their
    keywords: TF-IDF over the texts' content words as the language knows them (bot/lemmas.py:
    base forms, and the parts of Finnish compounds), compared by cosine and averaged over the
    languages they share. Networks meet best in a language they share, so each is compared there.
  - Across languages: TF-IDF over character n-grams of everything a network says, which lets a
    text in one language meet another through the words they share ("demokrati", "demokratia",
    "democracy"). It is all there is for two networks that share no language.
- People: the members two networks share, as a share of both sizes (so that a very large network
  does not come first for everyone), and the same coordinating organisation.
- Structure: the same category, and who takes part besides the state.
- Use: how people took up the suggestion before. Members of the source networks who were shown
  the candidate and joined or opened it lift it for everyone; those who said they are not
  interested weigh it down; only once enough of them have acted (`Uptake`).

The shares and weights are the ones cross-validation chose (benchmarks/similar.py
--cross-validate). Pure computation: the service gives it plain profiles and membership counts.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.domain import LANGUAGES
from bot.lemmas import content_words
from bot.text import fold

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

# What the texts are compared in: each language, and the keywords.
KEYWORDS = "keywords"
CHANNELS = (*LANGUAGES, KEYWORDS)
# Up to this many networks, every pair's similarity is kept (16 MB for 2,000) once asked for.
PAIRWISE_UP_TO = 3000
PAIRWISE_BLOCK = 500
# A network's text is represented by its most distinctive n-grams only: the rest add little to
# the similarity and much to the time of every ask (measured in benchmarks/similar.py).
NGRAMS_KEPT = 256
# Within the people signal: shared members, then a shared coordinating organisation.
MEMBERS_SHARE = 0.8
# One or two people in common say little: the members' overlap counts fully only with more.
SHARED_DAMPING = 2
# Within the structure signal: the same category, then the overlap of who takes part.
CATEGORY_SHARE = 0.5
BASE_SCOPE = "state"
# How far numpy's sums may stray from the same score added up one candidate at a time.
ROUNDING = 1e-9


@dataclass(frozen=True)
class TopicShares:
    """How the topic signal is made up (chosen by cross-validation)."""

    # The character n-grams' share beside the content words, for networks sharing a language.
    across_languages: float = 0.2
    # A content word in more than this share of a language's texts says nothing of a subject
    # (1.0: IDF alone weighs common words down).
    most_texts: float = 1.0


@dataclass(frozen=True)
class Weights:
    """The weight of each signal in a network's score (chosen by cross-validation)."""

    topic: float = 0.6
    people: float = 0.4
    # Category and participants: cross-validation found they add nothing to the texts.
    structure: float = 0.0
    # How people took up the suggestion before (on a simulated history of use: see
    # benchmarks/similar_use.py).
    use: float = 0.2


# Before people's use of a suggestion moves it, at least this many must have acted on it...
USE_EVIDENCE = 3
# ...and it moves by the share of those shown it who took it up (or refused it), as if this
# many more had been shown it and done nothing: a few clicks move it a little.
USE_PRIOR = 5


@dataclass(frozen=True)
class Uptake:
    """How the people of the sources took up a network suggested to them: how many were shown
    it, how many joined or opened it, and how many said they are not interested."""

    shown: int
    taken: int
    refused: int

    @property
    def lift(self) -> float:
        """Between -1 and 1; 0 until enough people have acted on it."""
        acted = self.taken + self.refused
        if acted < USE_EVIDENCE:
            return 0.0
        return (self.taken - self.refused) / (max(self.shown, acted) + USE_PRIOR)


TOPIC_SHARES = TopicShares()
WEIGHTS = Weights()


@dataclass(frozen=True)
class Profile:
    """What the model knows of a network."""

    id: int
    # The content words of each channel the network has text in: (channel, words).
    words: tuple[tuple[str, tuple[str, ...]], ...]
    tags: frozenset[str]
    category: str
    scope: frozenset[str]
    organisation: str | None = None

    @classmethod
    def of(
        cls,
        id: int,
        texts: Mapping[str, Iterable[str | None]],
        tags: Iterable[str],
        category: str,
        scope: Iterable[str],
        organisation: str | None,
    ) -> Profile:
        """A network's profile from its texts in each language (`LANGUAGES`), its keywords,
        category, who takes part and its coordinating organisation."""
        tag_words = [tag.replace("-", " ") for tag in tags]
        by_language = {
            language: " ".join(part for part in texts.get(language, ()) if part)
            for language in LANGUAGES
        }
        words = [
            (language, tuple(content_words(text, language)))
            for language, text in by_language.items()
        ]
        words.append((KEYWORDS, tuple(word for tag in tag_words for word in fold(tag).split())))
        return cls(
            id=id,
            words=tuple((channel, found) for channel, found in words if found),
            tags=frozenset(tag_words),
            category=category,
            scope=frozenset(scope),
            organisation=fold(organisation) if organisation else None,
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
    shared_members: int
    shared_scope: tuple[str, ...]
    same_organisation: bool
    # How people took it up before: the lift, and how many took it up (when it lifts).
    use: float = 0.0
    taken_up: int = 0


class TopicModel:
    """The TF-IDF vectors of a set of networks: of their content words in each channel, and of
    the character n-grams of all they say; a blend of the cosine similarities."""

    def __init__(self, profiles: Sequence[Profile], shares: TopicShares = TOPIC_SHARES) -> None:
        self.ids = [profile.id for profile in profiles]
        self.position = {network_id: index for index, network_id in enumerate(self.ids)}
        self.shares = shares
        self.channels = [
            channel
            for channel in (_channel(profiles, name, shares.most_texts) for name in CHANNELS)
            if channel is not None
        ]
        self.across = _strongest(
            _fitted(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                    max_df=0.6,
                    dtype=np.float32,
                ),
                [" ".join(word for _, words in p.words for word in words) for p in profiles],
            ),
            NGRAMS_KEPT,
        )
        self._pairwise: np.ndarray | None = None
        self._pairwise_lock = threading.Lock()

    def similarities(self, source_ids: Iterable[int]) -> np.ndarray:
        """Similarity of every network (in `ids` order) with the sources; zeros when the sources
        are unknown."""
        rows = [self.position[i] for i in source_ids if i in self.position]
        size = len(self.ids)
        if len(rows) == 1 and size <= PAIRWISE_UP_TO:
            return self.pairwise()[rows[0]]
        in_common = np.zeros(size, dtype=np.float32)
        shared = np.zeros(size, dtype=np.float32)
        for channel in self.channels:
            theirs = [row for row in rows if channel.present[row]]
            if theirs:
                in_common += _cosine_to_centre(channel.vectors, theirs, size)
                shared += channel.present
        across = _cosine_to_centre(self.across, rows, size)
        return self._blend(in_common, shared, across)

    def pairwise(self) -> np.ndarray:
        """Every network's similarity with every other, computed once: a batch of digests asks
        about each network in turn."""
        with self._pairwise_lock:
            if self._pairwise is None:
                size = len(self.ids)
                pairwise = np.zeros((size, size), dtype=np.float32)
                # In blocks of rows, so that the parts being blended stay small beside the whole.
                for start in range(0, size, PAIRWISE_BLOCK):
                    rows = slice(start, min(start + PAIRWISE_BLOCK, size))
                    in_common = np.zeros((rows.stop - start, size), dtype=np.float32)
                    shared = np.zeros_like(in_common)
                    for channel in self.channels:
                        in_common += (channel.vectors[rows] @ channel.vectors.T).toarray()
                        shared += np.outer(channel.present[rows], channel.present)
                    pairwise[rows] = self._blend(in_common, shared, _cosines(self.across, rows))
                self._pairwise = pairwise
            return self._pairwise

    def _blend(
        self, in_common: np.ndarray, shared: np.ndarray, across: np.ndarray | float
    ) -> np.ndarray:
        """The topic signal from its parts: the content words' cosines summed over the channels
        two networks share (`shared` counts them), and the character n-grams' cosine. Networks
        that share no channel are compared across languages only."""
        by_words = np.divide(in_common, shared, out=np.zeros_like(in_common), where=shared > 0)
        share = self.shares.across_languages
        return np.where(shared > 0, (1 - share) * by_words + share * across, across)


@dataclass(frozen=True)
class _Channel:
    """The unit TF-IDF vectors of one channel's content words (zero rows for networks with
    nothing in it), and which networks have something in it."""

    vectors: spmatrix
    present: np.ndarray


def _channel(profiles: Sequence[Profile], name: str, most_texts: float) -> _Channel | None:
    """The channel's vectors, its IDF learnt from the networks that have text in it only; None
    when no two have."""
    documents = [dict(profile.words).get(name, ()) for profile in profiles]
    present = np.array([bool(words) for words in documents])
    having = np.flatnonzero(present)
    if len(having) < 2:
        return None
    # A word in most of the texts says nothing, unless there are too few texts to tell.
    ceiling = most_texts if len(having) >= 4 else 1.0
    fitted = _fitted(
        TfidfVectorizer(analyzer=_as_given, sublinear_tf=True, max_df=ceiling, dtype=np.float32),
        [documents[row] for row in having],
    )
    if fitted is None:
        return None
    placed = csr_matrix(
        (np.ones(len(having), dtype=np.float32), (having, np.arange(len(having)))),
        shape=(len(profiles), len(having)),
    )
    return _Channel(normalize(placed @ fitted), present.astype(np.float32))


def _as_given(words: Sequence[str]) -> Sequence[str]:
    """The words of a document as analysed already (scikit-learn's analyzer)."""
    return words


def _cosines(matrix: spmatrix | None, rows: slice) -> np.ndarray | float:
    """The cosine of each of `rows` with every row (rows are unit vectors); 0 when there are
    none."""
    return 0.0 if matrix is None else (matrix[rows] @ matrix.T).toarray()


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
    scope: frozenset[str]
    organisations: frozenset[str]
    categories: frozenset[str]
    people: PeopleInCommon
    uptake: Mapping[int, Uptake]

    @classmethod
    def of(
        cls, sources: Sequence[Profile], people: PeopleInCommon, uptake: Mapping[int, Uptake]
    ) -> _Sources:
        return cls(
            tags=frozenset().union(*(source.tags for source in sources)),
            scope=frozenset().union(*(source.scope for source in sources)) - {BASE_SCOPE},
            organisations=frozenset(s.organisation for s in sources if s.organisation),
            categories=frozenset(source.category for source in sources),
            people=people,
            uptake=uptake,
        )


def _match(
    candidate: Profile, topic_score: float, sources: _Sources, weights: Weights = WEIGHTS
) -> Match:
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
    uptake = sources.uptake.get(candidate.id)
    use = uptake.lift if uptake else 0.0
    return Match(
        id=candidate.id,
        score=weights.topic * topic_score
        + weights.people * people
        + weights.structure * structure
        + weights.use * use,
        topic=topic_score,
        people=people,
        structure=structure,
        shared_tags=tuple(sorted(candidate.tags & sources.tags)),
        shared_members=shared,
        shared_scope=shared_scope,
        same_organisation=same_organisation,
        use=use,
        taken_up=uptake.taken if uptake and use > 0 else 0,
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


def _use_scores(pool: Pool, sources: _Sources) -> np.ndarray:
    """The use signal of every candidate in the pool, as `_match` computes it."""
    use = np.zeros(len(pool.profiles))
    for network_id, uptake in sources.uptake.items():
        position = pool.index.get(network_id)
        if position is not None:
            use[position] = uptake.lift
    return use


def rank(
    sources: Sequence[Profile],
    pool: Pool,
    topic: TopicModel,
    people: PeopleInCommon,
    limit: int,
    excluded: Collection[int] = (),
    weights: Weights = WEIGHTS,
    uptake: Mapping[int, Uptake] | None = None,
) -> list[Match]:
    """The pool's networks most like the sources, best first; none of `excluded`.

    `people` counts the sources' people (for one network, its members; for a person, the
    people in their networks, not the person) and where else they are; `uptake`, how the
    sources' people took up each network when it was suggested to them.

    Exact, and vectorised: every signal is computed for all candidates at once (numpy); only the
    best are matched one by one, for their reasons.
    """
    if not pool.profiles or limit <= 0:
        return []
    gathered = _Sources.of(sources, people, uptake or {})
    scores = topic.similarities(source.id for source in sources)
    rows = pool.model_rows
    # In float64, as `_match` adds them up: a float32 product may fall below the exact score.
    topics = np.where(rows >= 0, scores[np.maximum(rows, 0)], 0.0).clip(min=0.0)
    topics = topics.astype(np.float64)
    bound = (
        weights.topic * topics
        + weights.people * _people_scores(pool, gathered)
        + weights.structure * _structure_scores(pool, gathered)
        + weights.use * _use_scores(pool, gathered)
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
        match = _match(pool.profiles[index], float(topics[index]), gathered, weights)
        matches[index] = match
        if len(best) < limit or match.score > best[-1]:
            best = sorted([*best, match.score], reverse=True)[:limit]
    ranked = sorted(matches.values(), key=lambda match: (-match.score, match.id))
    return ranked[:limit]
