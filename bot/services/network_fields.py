"""What a network is made of, validated with pydantic, for the create/edit form and imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.commands import MAX_NAME_LENGTH
from bot.domain import Category, JoinPolicy, Origin, Scope
from bot.errors import InvalidInput

MAX_DESCRIPTION_LENGTH = 2000
MAX_ORGANISATION_LENGTH = 300
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
NAME_FIELDS = ("name_fi", "name_en", "name_sv")


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH)
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DESCRIPTION_LENGTH)
]
Organisation = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ORGANISATION_LENGTH)
]
Tag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=1, max_length=MAX_TAG_LENGTH
    ),
]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
# Where a description comes from: usually a web page, in real files sometimes a note.
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class NetworkFields(BaseModel):
    """The descriptive fields every network has, in whatever languages it has them."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name_fi: Name | None = None
    name_en: Name | None = None
    name_sv: Name | None = None
    description_fi: Description | None = None
    description_en: Description | None = None
    description_sv: Description | None = None
    coordinating_organisation: Organisation | None = None
    category: Category
    scope: tuple[Scope, ...] = ()
    origin: Origin = Origin.UNKNOWN
    tags: tuple[Tag, ...] = Field(default=(), max_length=MAX_TAGS)
    source: Source | None = None

    @model_validator(mode="after")
    def _has_a_name(self) -> NetworkFields:
        if not any(getattr(self, field) for field in NAME_FIELDS):
            raise PydanticCustomError("name_required", "a name in at least one language")
        return self

    def first_name(self) -> str:
        return next(getattr(self, field) for field in NAME_FIELDS if getattr(self, field))


class NetworkForm(NetworkFields):
    """What a coordinator fills in to create or edit a network."""

    slug: Slug | None = None
    join_policy: JoinPolicy = JoinPolicy.OPEN
    listed: bool = True
    published: bool = False
    archived: bool = False
    members_may_announce: bool = False
    channel_id: str | None = Field(default=None, max_length=512)


class NetworkRecord(NetworkFields):
    """One network of an import file, shaped like `networks.json` (see its README)."""

    slug: Slug = Field(alias="id")
    name_fi: Name
    name_en: Name
    coordinating_organisation: Organisation | None = Field(default=None, alias="coordinator")
    # On the public web directory; a file that does not say leaves the coordinators' choice.
    published: bool = Field(default=False, alias="public")


def column_values(fields: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """Validated values as a network's columns hold them: tuples (scope, tags) become lists."""
    values = {}
    for name in names:
        value = getattr(fields, name)
        values[name] = [str(item) for item in value] if isinstance(value, tuple) else value
    return values


_PROBLEM_KEYS = {
    "missing": "error.field.required",
    "string_too_short": "error.field.required",
    "string_too_long": "error.field.too_long",
    "too_long": "error.field.too_many",
    "string_pattern_mismatch": "error.field.slug",
    "enum": "error.field.choice",
    "name_required": "error.field.name_required",
    "extra_forbidden": "error.field.unknown",
    "greater_than_equal": "error.field.at_least",
    "less_than_equal": "error.field.at_most",
    "int_parsing": "error.field.whole_number",
    "int_from_float": "error.field.whole_number",
    "link": "error.field.link",
    "timezone": "error.field.timezone",
    "option_count": "error.field.option_count",
    "option_duplicate": "error.field.option_duplicate",
}


def problems(error: ValidationError) -> list[InvalidInput]:
    """One `InvalidInput` per failing field, keyed for the catalogs.

    Fields are named as the input named them: a form's block ids, an import file's keys.
    """
    found: list[InvalidInput] = []
    for detail in error.errors():
        location = [str(part) for part in detail["loc"]]
        # A check of the whole model names its field in the error's context, or else none.
        field = location[0] if location else str((detail.get("ctx") or {}).get("field", ""))
        field = field or NAME_FIELDS[0]
        # An empty choice arrives as None and is reported as missing, not as a wrong choice.
        empty = detail.get("input") is None and detail["type"] != "name_required"
        key = _PROBLEM_KEYS.get("missing" if empty else detail["type"], "error.field.invalid")
        context: dict[str, Any] = detail.get("ctx") or {}
        limit = context.get("max_length", context.get("le", ""))
        found.append(InvalidInput(key, field=field, max=limit, min=context.get("ge", "")))
    return found
