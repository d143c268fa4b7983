"""The catalogs' markup for the places in Teams that show none."""

from __future__ import annotations

NEUTRAL_MARKS = ("**", "`")


def plain_text(template: str) -> str:
    """A catalog message with its markup taken out (the app manifest shows plain text)."""
    for mark in NEUTRAL_MARKS:
        template = template.replace(mark, "")
    return template
