"""What a poll is made of, validated with pydantic, for the poll form and the one-line form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.domain import PollKind
from bot.errors import FormInvalid, InvalidInput
from bot.services.network_fields import problems
from bot.text import fold

MAX_QUESTION_LENGTH = 300
MAX_OPTION_LENGTH = 150
MIN_OPTIONS = 2
MAX_OPTIONS = 10
# The scales of the rating polls, lowest first.
SCALES = {PollKind.STARS: range(1, 6), PollKind.NPS: range(0, 11)}

Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_LENGTH)
]
OptionLabel = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_OPTION_LENGTH)
]


class PollFields(BaseModel):
    """A new poll. A rating poll (stars, NPS) has its scale for options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: Question
    kind: PollKind = PollKind.CHOICE
    options: tuple[OptionLabel, ...] = ()
    multiple: bool = False
    max_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS)
    anonymous: bool = False
    results_live: bool = True
    members_add_options: bool = False
    closes_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _options_fit(self) -> PollFields:
        if self.kind is not PollKind.CHOICE:
            return self
        if not MIN_OPTIONS <= len(self.options) <= MAX_OPTIONS:
            raise PydanticCustomError("option_count", "2 to 10 options", {"field": "options"})
        folded = [fold(option) for option in self.options]
        if len(set(folded)) != len(folded):
            raise PydanticCustomError("option_duplicate", "each option once", {"field": "options"})
        return self

    def labels(self) -> tuple[str, ...]:
        """The options as the poll shows them: the given ones, or the scale of a rating."""
        if self.kind is PollKind.CHOICE:
            return self.options
        return tuple(str(point) for point in SCALES[self.kind])

    def choice_limit(self) -> int:
        """How many options one person may pick."""
        if not self.multiple or self.kind is not PollKind.CHOICE:
            return 1
        return min(self.max_choices or len(self.options), len(self.options))

    def timing_problems(self, now: datetime) -> list[InvalidInput]:
        if self.closes_at is not None and self.closes_at <= now:
            return [InvalidInput("error.poll.closes_past", field="closes_at")]
        return []


def option_problem(label: str, existing: Sequence[str]) -> InvalidInput | None:
    """What is wrong with a new option beside the `existing` ones, if anything."""
    if not label:
        return InvalidInput("error.field.option_empty", field="option")
    if len(label) > MAX_OPTION_LENGTH:
        return InvalidInput("error.field.too_long", field="option", max=MAX_OPTION_LENGTH)
    if len(existing) >= MAX_OPTIONS:
        return InvalidInput("error.field.option_count", field="option")
    if fold(label) in {fold(other) for other in existing}:
        return InvalidInput("error.field.option_duplicate", field="option")
    return None


def validated_poll(values: dict[str, Any], now: datetime) -> PollFields:
    """The poll form's values, or `FormInvalid` with every problem on its field."""
    try:
        fields = PollFields.model_validate(values)
    except ValidationError as error:
        found = [
            InvalidInput("error.field.option_empty", field="options")
            if problem.field == "options" and problem.key == "error.field.required"
            else problem
            for problem in problems(error)
        ]
        raise FormInvalid(found) from None
    found = fields.timing_problems(now)
    if found:
        raise FormInvalid(found)
    return fields
