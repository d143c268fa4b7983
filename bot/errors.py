"""Domain errors. Each carries a message key from the catalogs and the values it needs.

Handlers turn them into a reply in one place; services raise them and never format text.
"""

from __future__ import annotations

from typing import Any


class VerkostoError(Exception):
    """A failure the person can act on; `key` names the catalog message that explains it."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(self.key)


class InvalidInput(VerkostoError):
    """The request is malformed: a missing argument, an unknown keyword, a value out of range.

    `field` names the form field at fault, so a modal can show the message beside it.
    """

    key = "error.invalid"

    def __init__(self, key: str, /, field: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field


class FormInvalid(VerkostoError):
    """Several form fields are wrong at once; each entry is one field's `InvalidInput`."""

    key = "error.form"

    def __init__(self, problems: list[InvalidInput]) -> None:
        super().__init__()
        self.problems = problems


class NotFound(VerkostoError):
    """Nothing by that name or id; `suggestions` holds close candidates to offer instead."""

    key = "error.not_found"


class Ambiguous(VerkostoError):
    """A name matches several networks; `candidates` lists them so the person can pick."""

    key = "error.ambiguous"


class Forbidden(VerkostoError):
    """The person lacks the role the action needs."""

    key = "error.forbidden.role"


class Conflict(VerkostoError):
    """The action clashes with the current state: already a member, last coordinator, archived."""

    key = "error.conflict"


class Unavailable(VerkostoError):
    """The database could not do the work just now, and none of it was saved. `retry_safe`
    when the database turned it away before doing anything (a lock or a serialization conflict),
    so that running it again at once is safe; not after a lost connection, which may have lost
    the answer to a commit."""

    key = "error.unavailable"

    def __init__(self, retry_safe: bool) -> None:
        super().__init__()
        self.retry_safe = retry_safe
