"""Finding networks by what people type: directory search and name resolution.

Pure functions over plain values, so that they are easy to test and cheap to call. Finnish
compounds are handled by matching query words inside document words ("ennakointi" is inside
"ennakointiverkosto"), and inflected query words by also trying their Snowball stems
("ennakoinnin" -> "ennakoin", "kommunerna" -> "kommun").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from bot.text import fold, words

MIN_STEM_LENGTH = 4
SHORT_WORD = 3
NAME_WEIGHT = 4
TAG_WEIGHT = 3
TEXT_WEIGHT = 1

_STEMMERS = tuple(snowballstemmer.stemmer(name) for name in ("finnish", "swedish", "english"))


@dataclass(frozen=True)
class Searchable:
    """What a network can be found by, already folded. `key` is whatever the caller needs back."""

    key: int
    slug: str
    names: tuple[str, ...]
    tags: tuple[str, ...]
    texts: tuple[str, ...]
    # All of the above in one string: a word found nowhere in it needs no closer look.
    everything: str

    @classmethod
    def of(
        cls,
        key: int,
        slug: str,
        names: Iterable[str | None],
        tags: Iterable[str],
        texts: Iterable[str | None],
    ) -> Searchable:
        folded_slug = fold(slug)
        folded_names = tuple(fold(name) for name in names if name)
        folded_tags = tuple(fold(tag) for tag in tags)
        folded_texts = tuple(fold(text) for text in texts if text)
        return cls(
            key=key,
            slug=folded_slug,
            names=folded_names,
            tags=folded_tags,
            texts=folded_texts,
            everything="\n".join((folded_slug, *folded_names, *folded_tags, *folded_texts)),
        )


@lru_cache(maxsize=4096)
def query_forms(word: str) -> tuple[str, ...]:
    """The word itself and its stems in Finnish, Swedish and English, longest first."""
    forms = {word}
    for stemmer in _STEMMERS:
        stem = stemmer.stemWord(word)
        if len(stem) >= MIN_STEM_LENGTH:
            forms.add(stem)
    return tuple(sorted(forms, key=len, reverse=True))


def _found_in(forms: tuple[str, ...], haystacks: tuple[str, ...]) -> bool:
    for form in forms:
        # Short words must start a word: "hr" finds "HR-juristit", not "thread".
        if len(form) < SHORT_WORD:
            pattern = re.compile(rf"\b{re.escape(form)}")
            if any(pattern.search(haystack) for haystack in haystacks):
                return True
        elif any(form in haystack for haystack in haystacks):
            return True
    return False


def _word_points(word: str, item: Searchable) -> int:
    forms = query_forms(word)
    if _found_in(forms, (*item.names, item.slug)):
        return NAME_WEIGHT
    if _found_in(forms, item.tags):
        return TAG_WEIGHT
    if _found_in(forms, item.texts):
        return TEXT_WEIGHT
    return 0


@dataclass(frozen=True)
class Ranking:
    """Matching keys, best first. `complete` is False when no item had every query word."""

    keys: tuple[int, ...]
    complete: bool = True


def rank(query_text: str, items: Iterable[Searchable]) -> Ranking:
    """Rank items by the query's words; every item when there are no words.

    Items holding every word come first. When none does, items holding some of the words are
    returned instead, marked incomplete, so that a long query still leads somewhere.
    """
    query = words(query_text)
    forms = [query_forms(word) for word in query]
    scored = []
    for item in items:
        if forms and not any(form in item.everything for found in forms for form in found):
            continue
        points = [_word_points(word, item) for word in query]
        found = sum(1 for p in points if p)
        scored.append((found, sum(points), item))
    best_found = max((found for found, _, _ in scored), default=0)
    if query and best_found == 0:
        return Ranking(keys=())
    kept = [entry for entry in scored if entry[0] == best_found]
    kept.sort(key=lambda entry: (-entry[1], entry[2].names[0] if entry[2].names else entry[2].slug))
    return Ranking(keys=tuple(item.key for _, _, item in kept), complete=best_found == len(query))


@dataclass(frozen=True)
class Resolution:
    """What a typed name refers to: one key, several candidates, or suggestions for none."""

    key: int | None = None
    candidates: tuple[int, ...] = ()
    suggestions: tuple[int, ...] = ()


def resolve(name: str, items: Sequence[Searchable], max_suggestions: int = 3) -> Resolution:
    """Resolve a typed name by slug, by full name in any language, then by a unique prefix.

    Case and accents are ignored. When nothing matches, close spellings and networks that
    contain the typed words are offered as suggestions.
    """
    wanted = fold(name)
    if not wanted:
        return Resolution()
    exact = named_exactly(name, items)
    if exact:
        return _one_or_many(exact)
    by_prefix = [
        item.key
        for item in items
        if item.slug.startswith(wanted) or any(n.startswith(wanted) for n in item.names)
    ]
    if by_prefix:
        return _one_or_many(by_prefix)
    return Resolution(suggestions=tuple(_suggest(wanted, items, max_suggestions)))


def named_exactly(name: str, items: Sequence[Searchable]) -> list[int]:
    """The keys of the items whose short name is `name`, or else of those with a full name in
    some language that is `name`; case and accents are ignored."""
    wanted = fold(name)
    by_slug = [item.key for item in items if item.slug == wanted]
    return by_slug or [item.key for item in items if wanted in item.names]


def _one_or_many(keys: list[int]) -> Resolution:
    unique = list(dict.fromkeys(keys))
    return Resolution(key=unique[0]) if len(unique) == 1 else Resolution(candidates=tuple(unique))


def _suggest(wanted: str, items: Sequence[Searchable], limit: int) -> list[int]:
    spelled: dict[str, int] = {}
    for item in items:
        for label in (item.slug, *item.names):
            spelled.setdefault(label, item.key)
    close = difflib.get_close_matches(wanted, list(spelled), n=limit, cutoff=0.6)
    keys = [spelled[label] for label in close]
    keys += rank(wanted, items).keys
    return list(dict.fromkeys(keys))[:limit]
