"""What names and points at a person or a network, in every language."""

from __future__ import annotations

from dataclasses import dataclass

# Readers of a national language get the other national language before English.
FALLBACK_ORDER = {"en": ("en", "fi", "sv"), "fi": ("fi", "sv", "en"), "sv": ("sv", "fi", "en")}


@dataclass(frozen=True)
class Localized:
    """A text that may exist in several languages, often in one only."""

    fi: str | None = None
    en: str | None = None
    sv: str | None = None

    def in_(self, language: str) -> str:
        """The text in `language`, else in the closest language that has it, else ""."""
        for code in FALLBACK_ORDER.get(language, FALLBACK_ORDER["en"]):
            value = getattr(self, code)
            if value:
                return value
        return ""

    def values(self) -> tuple[str, ...]:
        return tuple(value for value in (self.fi, self.en, self.sv) if value)


@dataclass(frozen=True)
class PersonRef:
    """Someone as others see them."""

    user_id: str
    display_name: str


@dataclass(frozen=True)
class NetworkRef:
    """Enough of a network to name it and point at it."""

    id: int
    slug: str
    names: Localized
