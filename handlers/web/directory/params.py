"""What the directory's addresses may ask for, validated: anything else is an `InvalidInput`,
answered with a 400 in the reader's language, never a 500. An empty parameter (a form's "any"
choice) is no parameter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.commands import MAX_QUERY_LENGTH
from bot.domain import Category, Origin, Scope
from bot.errors import InvalidInput
from bot.results.directory import PublicFilters
from bot.services.public_directory import MAX_PAGE_SIZE, PAGE_SIZE

MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    lang: Literal["fi", "sv", "en"] | None = None


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
    limit: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ApiEventParams(_Params):
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


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
    """The parameters of `kind` from a query string's values; raises `InvalidInput` (its
    `field` the parameter's name)."""
    values: dict[str, object] = {}
    for name, given in args.items():
        filled = [value for value in given if value]
        if name not in kind.model_fields or not filled:
            continue
        if name in _REPEATED:
            values[name] = tuple(filled)
        elif len(filled) > 1:
            raise InvalidInput("web.problem.repeated", field=name, name=name)
        else:
            values[name] = filled[0]
    try:
        return kind.model_validate(values)
    except ValidationError as error:
        detail = error.errors()[0]
        name = str(detail["loc"][0]) if detail["loc"] else ""
        key = _PROBLEMS.get(detail["type"], "web.problem.invalid")
        raise InvalidInput(key, field=name, name=name) from None
