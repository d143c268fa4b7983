"""What people type after the command, split into words. A phrase in quotes is one word, in
any of the quotes people type: "…", “…”, ”…”, „…“, '…', ‘…’, ’…’, «…», »…».

Apostrophes also stand inside words (Children's, vaa'an): a single quote opens a phrase only at
the start of a word and closes it only at the end of one, and one left open is just a letter.
Any other quote left open is an error, since nobody can tell where the name it began ends: so
is a phrase in which a quote of its kind seems to open another (`"Name "Question?"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.errors import InvalidInput

# Opening quote -> the quotes that may close it.
QUOTES = {
    '"': '"',
    "“": "”“",
    "”": "”",
    "„": "“”",
    "«": "»",
    "»": "»«",
    "'": "'",
    "‘": "’",
    "’": "’",
}
APOSTROPHES = "'‘’"
# The quotes of one kind: inside a phrase, one of them at the start of a word opens the next.
KINDS = {'"': '"', "“": "“”„", "”": "“”„", "„": "“”„", "«": "«»", "»": "«»"}


@dataclass(frozen=True)
class Word:
    """A word, or a quoted phrase (`quoted`: its quotes taken off); `raw` is it as typed."""

    text: str
    quoted: bool = False
    raw: str = field(default="", compare=False)


@dataclass(frozen=True)
class Markup:
    """A piece of the platform's own mark-up (a mention, a link), for the platform to read."""

    text: str


def split_words(text: str, markup: re.Pattern[str] | None = None) -> list[Word | Markup]:
    """Split `text` at white space, keeping quoted phrases whole. `markup` matches the
    platform's mark-up, which is one piece wherever it stands, spaces and all."""
    pieces: list[Word | Markup] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return pieces
        found = markup.match(text, at) if markup else None
        if found:
            pieces.append(Markup(found.group()))
            at = found.end()
            continue
        end = _phrase_end(text, at, markup) if text[at] in QUOTES else None
        if end is not None:
            pieces.append(Word(text[at + 1 : end].strip(), quoted=True, raw=text[at : end + 1]))
            at = end + 1
            continue
        end = at
        while end < len(text) and not text[end].isspace():
            end += 1
        pieces.append(Word(text[at:end], raw=text[at:end]))
        at = end


def _phrase_end(text: str, start: int, markup: re.Pattern[str] | None) -> int | None:
    """Where the phrase opened at `start` closes; None for an apostrophe that opens nothing."""
    opening = text[start]
    closers = QUOTES[opening]
    at = start + 1
    while at < len(text):
        found = markup.match(text, at) if markup else None
        if found:
            at = found.end()
            continue
        starts_word = text[at - 1].isspace() and at + 1 < len(text) and not text[at + 1].isspace()
        ends_word = at + 1 == len(text) or text[at + 1].isspace()
        if opening in APOSTROPHES:
            if text[at] in closers and ends_word:
                return at
        elif text[at] in KINDS[opening] and starts_word:
            break
        elif text[at] in closers:
            return at
        at += 1
    if opening in APOSTROPHES:
        return None
    raise InvalidInput("error.unclosed_quote", quote=opening)
