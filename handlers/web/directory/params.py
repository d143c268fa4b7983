"""What the directory's addresses may ask for, validated: anything else is a 400 in the reader's
language, never a 500."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.domain import Category, Origin, Scope
from bot.results.directory import PublicFilters

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


class BadParameter(Exception):
    """A query parameter that cannot be used: `name`, and `problem`, a catalog key."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(name)
        self.name = name
        self.problem = problem


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    lang: Literal["fi", "sv", "en"] | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object) -> object:
        """An empty field of a submitted form (`category=`) means "any"."""
        return None if value == "" else value


class SearchParams(_Params):
    q: str | None = Field(default=None, max_length=MAX_QUERY_LENGTH)
    category: Category | None = None
    scope: tuple[Scope, ...] = ()
    origin: Origin | None = None

    def filters(self) -> PublicFilters:
        return PublicFilters(self.q or "", self.category, self.scope, self.origin)


class PageParams(SearchParams):
    """A search on a web page: pages counted from 1."""

    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class ApiParams(SearchParams):
    """A search in the API: an offset and a limit."""

    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: int = Field(default=20, ge=1, le=100)


class ApiEventParams(_Params):
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: int = Field(default=20, ge=1, le=100)


class EventPageParams(_Params):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


_PROBLEMS = {
    "string_too_long": "web.problem.too_long",
    "enum": "web.problem.choice",
    "literal_error": "web.problem.choice",
    "int_parsing": "web.problem.number",
    "greater_than_equal": "web.problem.number",
    "less_than_equal": "web.problem.number",
}

P = TypeVar("P", bound=_Params)

# Parameters given more than once are read as a list; these only.
_REPEATED = frozenset({"scope"})


def read(kind: type[P], args: Mapping[str, Sequence[str]]) -> P:
    """The parameters of `kind` from a query string's values; raises `BadParameter`."""
    values: dict[str, object] = {}
    for name, given in args.items():
        if name not in kind.model_fields:
            continue
        if name in _REPEATED:
            values[name] = tuple(value for value in given if value)
        elif len(given) > 1:
            raise BadParameter(name, "web.problem.repeated")
        else:
            values[name] = given[0]
    try:
        return kind.model_validate(values)
    except ValidationError as error:
        detail = error.errors()[0]
        name = str(detail["loc"][0]) if detail["loc"] else ""
        raise BadParameter(name, _PROBLEMS.get(detail["type"], "web.problem.invalid")) from None
