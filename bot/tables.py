"""Tables people open in a spreadsheet."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by spreadsheet programs; what people
# typed must stay text ("=HYPERLINK(...)" in a signal or a poll option).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Text as a CSV cell that a spreadsheet shows as typed and never evaluates."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
