"""How similar networks are, from three kinds of signal, with the reasons a person understands.

- Topic: TF-IDF over character n-grams (scikit-learn) of every network's names, descriptions and
  keywords in all its languages. N-grams within words let inflected Finnish and compounds meet
  ("ennakointiverkosto", "ennakoinnin", "ennakointi"); n-grams common to most networks
  ("verkosto", "network") weigh little.
- People: the members two networks share, as a share of both sizes (so that a very large network
  does not come first for everyone), and the same coordinating organisation.
- Structure: the same category, and who takes part besides the state.

Pure computation: the service gives it plain profiles and membership sets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.text import fold

TOPIC_WEIGHT = 0.5
PEOPLE_WEIGHT = 0.4
STRUCTURE_WEIGHT = 0.1
# Within the people signal: shared members, then a shared coordinating organisation.
MEMBERS_SHARE = 0.8
# One or two people in common say little: the members' overlap counts fully only with more.
SHARED_DAMPING = 2
# Within the structure signal: the same category, then the overlap of who takes part.
CATEGORY_SHARE = 0.5
BASE_SCOPE = "state"


@dataclass(frozen=True)
class Profile:
    """What the model knows of a network."""

    id: int
    text: str
    tags: frozenset[str]
    category: str
    scope: frozenset[str]
    organisation: str | None = None

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
            text=text,
            tags=frozenset(tag_words),
            category=category,
            scope=frozenset(scope),
            organisation=fold(organisation) if organisation else None,
        )


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


class TopicModel:
    """The TF-IDF vectors of a set of networks; cosine similarity between them."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self.ids = [profile.id for profile in profiles]
        self.position = {network_id: index for index, network_id in enumerate(self.ids)}
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, max_df=0.6, dtype=np.float32
        )
        if profiles:
            self.matrix = self.vectorizer.fit_transform([profile.text for profile in profiles])
        else:
            self.matrix = None

    def similarities(self, source_ids: Iterable[int]) -> np.ndarray:
        """Cosine similarity of every network (in `ids` order) with the mean of the sources'
        vectors; zeros when the sources are unknown."""
        rows = [self.position[i] for i in source_ids if i in self.position]
        if not rows or self.matrix is None:
            return np.zeros(len(self.ids))
        centre = np.asarray(self.matrix[rows].mean(axis=0)).ravel()
        norm = np.linalg.norm(centre)
        if norm == 0:
            return np.zeros(len(self.ids))
        return np.asarray(self.matrix @ (centre / norm)).ravel()


@dataclass(frozen=True)
class _Sources:
    """What the candidates are compared with, gathered once."""

    tags: frozenset[str]
    scope: frozenset[str]
    organisations: frozenset[str]
    categories: frozenset[str]
    fellows: set[int]

    @classmethod
    def of(cls, sources: Sequence[Profile], fellows: set[int]) -> _Sources:
        return cls(
            tags=frozenset().union(*(source.tags for source in sources)),
            scope=frozenset().union(*(source.scope for source in sources)) - {BASE_SCOPE},
            organisations=frozenset(s.organisation for s in sources if s.organisation),
            categories=frozenset(source.category for source in sources),
            fellows=fellows,
        )


def _match(candidate: Profile, topic_score: float, sources: _Sources, theirs: set[int]) -> Match:
    shared = len(sources.fellows & theirs)
    overlap = (
        shared / math.sqrt(len(sources.fellows) * len(theirs)) * shared / (shared + SHARED_DAMPING)
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
        shared_members=shared,
        shared_scope=shared_scope,
        same_organisation=same_organisation,
    )


def rank(
    sources: Sequence[Profile],
    candidates: Sequence[Profile],
    topic: TopicModel,
    members: Mapping[int, set[int]],
    fellows: set[int],
    limit: int,
) -> list[Match]:
    """The candidates most like the sources, best first.

    `members` holds each network's members; `fellows` are the people the sources have (for one
    network, its members; for a person, the people in their networks, not the person).

    Exact, without scoring every candidate: those without people in common can score at most
    their topic share plus the whole structure share, so only the ones whose bound reaches the
    `limit`-th best score so far are scored.
    """
    if not candidates or limit <= 0:
        return []
    gathered = _Sources.of(sources, fellows)
    scores = topic.similarities(source.id for source in sources)
    positions = np.array([topic.position.get(c.id, -1) for c in candidates])
    topics = np.where(positions >= 0, scores[np.maximum(positions, 0)], 0.0).clip(min=0.0)
    peopled = {
        index
        for index, candidate in enumerate(candidates)
        if (fellows and members.get(candidate.id, set()) & fellows)
        or candidate.organisation in gathered.organisations
    }
    same_category = np.array([c.category in gathered.categories for c in candidates])
    structure_bound = CATEGORY_SHARE * same_category + (1 - CATEGORY_SHARE)
    bound = TOPIC_WEIGHT * topics + STRUCTURE_WEIGHT * structure_bound
    # Those with people in common are scored in full; the others in the order of their bound,
    # until no bound can reach the `limit`-th best score any more.
    matches = {
        index: _match(
            candidates[index],
            float(topics[index]),
            gathered,
            members.get(candidates[index].id, set()),
        )
        for index in peopled
    }
    best = sorted((match.score for match in matches.values()), reverse=True)[:limit]
    for index in np.argsort(-bound, kind="stable").tolist():
        if len(best) == limit and bound[index] < best[-1]:
            break
        if index in matches:
            continue
        match = _match(candidates[index], float(topics[index]), gathered, set())
        matches[index] = match
        if len(best) < limit or match.score > best[-1]:
            best = sorted([*best, match.score], reverse=True)[:limit]
    ranked = sorted(matches.values(), key=lambda match: (-match.score, match.id))
    return ranked[:limit]
