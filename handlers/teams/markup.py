"""The catalogs' markup in Teams, where a person's text can never become markup.

Cards show catalog messages as rich text: each run of text is shown as it is (an Adaptive Card's
`TextRun` reads no Markdown), bold where the catalog says **strong** and in a monospace font
where it says `code`. `teams_markup`, given to every translator whose words Teams shows, marks
those places with control characters that no text from a person carries (they are taken out of
everything that arrives), so the parameters put in afterwards stay plain text: a name with
`<at>`, HTML or Markdown in it shows literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEUTRAL_MARKS = ("**", "`")
STRONG_OPEN, STRONG_CLOSE, CODE_OPEN, CODE_CLOSE = "\x02", "\x03", "\x04", "\x05"
MARKS = STRONG_OPEN + STRONG_CLOSE + CODE_OPEN + CODE_CLOSE
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(template: str) -> str:
    """A catalog message with its markup taken out (the app manifest shows plain text)."""
    for mark in NEUTRAL_MARKS:
        template = template.replace(mark, "")
    return template


def _alternate(template: str, mark: str, opening: str, closing: str) -> str:
    pieces = template.split(mark)
    if len(pieces) % 2 == 0:  # an unpaired mark is a character like any other
        return template
    return "".join(
        piece + ("" if i == len(pieces) - 1 else opening if i % 2 == 0 else closing)
        for i, piece in enumerate(pieces)
    )


def teams_markup(template: str) -> str:
    """A catalog message with its **strong** and `code` marked for `runs`."""
    template = _alternate(template, "**", STRONG_OPEN, STRONG_CLOSE)
    return _alternate(template, "`", CODE_OPEN, CODE_CLOSE)


def without_controls(text: str) -> str:
    """A person's text without control characters (tabs and line breaks stay)."""
    return _CONTROL.sub("", text)


def unmarked(text: str) -> str:
    """Text for a place that shows no formatting (a button, a title, a notification)."""
    return text.translate({ord(mark): None for mark in MARKS})


@dataclass(frozen=True)
class Run:
    text: str
    strong: bool = False
    code: bool = False


def runs(text: str) -> list[Run]:
    """Text as it is shown: runs of plain, strong and monospace text."""
    found: list[Run] = []
    strong = code = False
    piece = ""
    for character in text:
        if character in MARKS:
            if piece:
                found.append(Run(piece, strong, code))
            piece = ""
            strong = character == STRONG_OPEN or (strong and character in (CODE_OPEN, CODE_CLOSE))
            code = character == CODE_OPEN or (code and character in (STRONG_OPEN, STRONG_CLOSE))
            continue
        piece += character
    if piece:
        found.append(Run(piece, strong, code))
    return found
