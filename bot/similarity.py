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
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, max_df=0.6
        )
        if profiles:
            self.matrix = self.vectorizer.fit_transform([profile.text for profile in profiles])
        else:
            self.matrix = None

    def similarities(self, source_ids: Iterable[int]) -> dict[int, float]:
        """Cosine similarity of every network with the mean of the sources' vectors."""
        rows = [self.position[i] for i in source_ids if i in self.position]
        if not rows or self.matrix is None:
            return {}
        centre = np.asarray(self.matrix[rows].mean(axis=0)).ravel()
        norm = np.linalg.norm(centre)
        if norm == 0:
            return {}
        scores = self.matrix @ (centre / norm)
        return {network_id: float(scores[index]) for index, network_id in enumerate(self.ids)}


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
    """
    topics = topic.similarities(source.id for source in sources)
    source_tags = frozenset().union(*(source.tags for source in sources))
    source_scope = frozenset().union(*(source.scope for source in sources)) - {BASE_SCOPE}
    organisations = {source.organisation for source in sources if source.organisation}
    categories = {source.category for source in sources}
    matches = []
    for candidate in candidates:
        theirs = members.get(candidate.id, set())
        shared = len(fellows & theirs)
        overlap = (
            shared / math.sqrt(len(fellows) * len(theirs)) * shared / (shared + SHARED_DAMPING)
            if shared
            else 0.0
        )
        same_organisation = candidate.organisation in organisations
        people = MEMBERS_SHARE * overlap + (1 - MEMBERS_SHARE) * same_organisation
        shared_scope = tuple(sorted((candidate.scope - {BASE_SCOPE}) & source_scope))
        scope_union = (candidate.scope - {BASE_SCOPE}) | source_scope
        structure = CATEGORY_SHARE * (candidate.category in categories) + (1 - CATEGORY_SHARE) * (
            len(shared_scope) / len(scope_union) if scope_union else 0.0
        )
        topic_score = max(topics.get(candidate.id, 0.0), 0.0)
        score = TOPIC_WEIGHT * topic_score + PEOPLE_WEIGHT * people + STRUCTURE_WEIGHT * structure
        matches.append(
            Match(
                id=candidate.id,
                score=score,
                topic=topic_score,
                people=people,
                structure=structure,
                shared_tags=tuple(sorted(candidate.tags & source_tags)),
                shared_members=shared,
                shared_scope=shared_scope,
                same_organisation=same_organisation,
            )
        )
    matches.sort(key=lambda match: (-match.score, match.id))
    return matches[:limit]
