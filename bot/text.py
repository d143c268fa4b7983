"""Text helpers for matching what people type against what is stored."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case and strip accents, so that "Ennakointi" and "ennäkointi" compare equal.

    Memoised: every search folds every network's texts, and they seldom change.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", without_marks).strip()


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return _WORD.findall(fold(text))


def slugify(text: str, max_length: int = 64) -> str:
    """A URL-safe identifier from a name: "Kuntien digitiekartta" -> "kuntien-digitiekartta"."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-")[:max_length].rstrip("-")


def shorten(text: str, limit: int) -> str:
    """Cut a text to `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"
