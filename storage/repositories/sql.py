"""SQL that several repositories share: inserts that skip duplicates or update, rows claimed by
one worker at a time, digests already decided."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain import (
    DigestSubject,
)
from storage.models import (
    Digest,
)


def dialect_insert(session: Session) -> Callable[[Table], Any]:
    """The backend's INSERT, which knows ON CONFLICT."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; True when it was inserted.

    Atomic on both backends, so two requests racing to create the same row cannot both win.
    """
    statement = dialect_insert(session)(table).values(**values).on_conflict_do_nothing()
    # RETURNING tells reliably whether a row went in; rowcount does not on every driver.
    return session.execute(statement.returning(*table.primary_key.columns)).first() is not None


def insert_many_ignoring_duplicates(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: Any
) -> list[Any]:
    """Insert rows in one statement, skipping those whose unique key exists; the `returning`
    column of the rows that went in."""
    if not rows:
        return []
    statement = dialect_insert(session)(table).on_conflict_do_nothing().returning(returning)
    # Rows passed as parameters, not values: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") from a statement it compiles once and caches.
    return list(session.scalars(statement, list(rows)))


def upsert(
    session: Session,
    model: Any,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert rows, or where a row with the same `keys` exists, set its `update` columns; in
    one statement, atomic on both backends."""
    if not rows:
        return
    statement = dialect_insert(session)(model.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={column: statement.excluded[column] for column in update},
    )
    session.execute(statement, list(rows))


def digest_decided(subject: DigestSubject, subject_id: Any, period_start: datetime) -> Any:
    return (
        select(Digest.id)
        .where(
            Digest.subject == subject,
            Digest.subject_id == subject_id,
            Digest.period_start == period_start,
        )
        .exists()
    )


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claimable(session: Session, query: Select[Any]) -> Select[Any]:
    """Rows for one worker only: on PostgreSQL, rows another transaction holds are skipped.

    SQLite needs nothing: its write transactions (BEGIN IMMEDIATE) already run one at a time.
    """
    if is_postgresql(session):
        return query.with_for_update(skip_locked=True)
    return query
