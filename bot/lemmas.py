"""The words of a text as its language knows them: base forms (lemmas), and for Finnish the
parts of compounds, so that "ennakointiverkostoa" counts as "ennakointiverkosto",
"ennakointi" and "verkosto".

Finnish is analysed by Voikko (the system's libvoikko with its Finnish dictionary, voikko-fi),
whose compound analysis is the reference for the language, and which also tells the word class,
so that conjunctions and pronouns are left out. Where Voikko is missing, Finnish falls back to
simplemma's lemmas without compound parts: `finnish_analysis()` says which is in use, and the
fallback is logged once. Swedish and English are lemmatised by simplemma, whose dictionaries
ship inside the package, and their function words are left out by the closed-class lists of
bot/data/function_words.toml. Nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import simplemma

from bot.text import fold

# Voikko's word classes that carry no subject: conjunctions, pronouns, adpositions, interjections
# and the like. Nouns, adjectives, names, abbreviations, verbs and adverbs are kept.
FUNCTION_WORDS = frozenset(
    {"sidesana", "asemosana", "suhdesana", "huudahdussana", "kieltosana", "etuliite"}
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A one-letter "word" is an initial or a stray letter.
SHORTEST = 2

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FinnishAnalysis:
    """Which analyser reads Finnish, and why not Voikko when it is not."""

    analyser: str
    fallback_reason: str | None = None

    def details(self) -> dict[str, str]:
        """As `/readyz` shows it."""
        shown = {"finnish_words": self.analyser}
        if self.fallback_reason:
            shown["finnish_words_fallback"] = self.fallback_reason
        return shown


class _Voikko:
    """One Voikko handle, which is not safe to share between threads unguarded."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self._lock = threading.Lock()

    def analyse(self, word: str) -> dict[str, str] | None:
        with self._lock:
            found = self._handle.analyze(word)
        return found[0] if found else None


@cache
def _voikko() -> tuple[_Voikko | None, FinnishAnalysis]:
    try:
        import libvoikko

        handle = libvoikko.Voikko("fi")
    except Exception as missing:  # the binding, libvoikko.so or the dictionary: all optional
        reason = f"Voikko is not available ({type(missing).__name__}: {missing})"
        log.warning("Finnish words are read by simplemma, without compound parts: %s", reason)
        return None, FinnishAnalysis("simplemma", reason)
    version = libvoikko.Voikko.getVersion()
    return _Voikko(handle), FinnishAnalysis(f"voikko {version}")


def finnish_analysis() -> FinnishAnalysis:
    """Which analyser reads Finnish in this process."""
    return _voikko()[1]


@cache
def function_words(language: str) -> frozenset[str]:
    """The language's function words, folded base forms."""
    source = resources.files("bot").joinpath("data/function_words.toml").read_text("utf-8")
    return frozenset(tomllib.loads(source)[language])


def content_words(text: str, language: str) -> list[str]:
    """The text's words that may carry a subject, as folded base forms; a Finnish compound also
    as its parts. `language` is one of `bot.domain.LANGUAGES`."""
    found: list[str] = []
    for word in _WORD.findall(text.lower()):
        found.extend(_analysed(word, language))
    return [form for form in found if len(form) >= SHORTEST]


@lru_cache(maxsize=65536)
def _analysed(word: str, language: str) -> tuple[str, ...]:
    voikko, _ = _voikko()
    if language != "fi" or voikko is None:
        lemma = fold(simplemma.lemmatize(word, lang=language))
        return () if lemma in function_words(language) else (lemma,)
    forms: list[str] = []
    for piece in word.split("-"):
        forms.extend(_finnish(voikko, piece))
    return tuple(fold(form) for form in forms)


def _finnish(voikko: _Voikko, word: str) -> list[str]:
    """A Finnish word's base form and, for a compound, each part's base form."""
    analysis = voikko.analyse(word)
    if analysis is None:  # a name, a loan or a typo Voikko does not know
        return [simplemma.lemmatize(word, lang="fi")]
    if analysis.get("CLASS") in FUNCTION_WORDS:
        return []
    base = analysis.get("BASEFORM", word).lower()
    parts = _surface_parts(word, analysis.get("STRUCTURE", ""))
    if len(parts) < 2:
        return [base]
    # Only the last part is inflected with the whole ("verkostoa"); the first ones stand as
    # they are written ("valtion-", "tulevaisuuden-") and are analysed on their own.
    leading = "".join(parts[:-1])
    last = base[len(leading) :] if base.startswith(leading) else parts[-1]
    firsts = []
    for part in parts[:-1]:
        alone = voikko.analyse(part)
        firsts.append(alone.get("BASEFORM", part).lower() if alone else part)
    return [base, *firsts, last]


def _surface_parts(word: str, structure: str) -> list[str]:
    """The word cut where Voikko's STRUCTURE marks a new part with "="."""
    parts: list[str] = []
    current = ""
    letters = iter(word)
    for mark in structure:
        if mark == "=":
            if current:
                parts.append(current)
            current = ""
        else:
            current += next(letters, "")
    if current:
        parts.append(current)
    return parts
