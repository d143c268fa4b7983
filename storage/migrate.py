"""Alembic, configured from code so that it works from an installed package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.database import Database
from storage.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database: Database, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migrating(database: Database) -> Iterator[Connection]:
    """A connection in a transaction for migrations. On SQLite, foreign keys are not enforced
    meanwhile: a migration that rebuilds a table (Alembic's batch mode copies it and drops the
    old one) would otherwise delete every row that refers to it, through ON DELETE CASCADE.
    They are checked once the migrations are done."""
    with database.engine.connect() as connection:
        # On the driver's connection: SQLite ignores the pragma inside a transaction.
        driver = connection.connection.driver_connection
        if database.is_sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if database.is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration broke references: {broken[:5]}")
        finally:
            if database.is_sqlite:
                driver.execute("PRAGMA foreign_keys = ON")


def upgrade(database: Database, revision: str = "head") -> None:
    """Run the migrations up to `revision` (head by default)."""
    with _migrating(database) as connection:
        command.upgrade(alembic_config(database, connection), revision)


def downgrade(database: Database, revision: str) -> None:
    """Undo migrations down to `revision` ("base" for an empty database)."""
    with _migrating(database) as connection:
        command.downgrade(alembic_config(database, connection), revision)


def new_revision(database: Database, message: str) -> None:
    """Write a migration with what autogenerate finds between the models and the database."""
    command.revision(alembic_config(database), message=message, autogenerate=True)


def differences(database: Database) -> list[Any]:
    """What autogenerate would change to make the database match the models; [] when none."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=comparison_options())
        return compare_metadata(context, Base.metadata)


# Tables that others own: APScheduler keeps the worker's jobs in its own table.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def _ours(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def comparison_options() -> dict[str, Any]:
    return {"compare_type": True, "render_as_batch": True, "include_name": _ours}


def current_revision(database: Database) -> str | None:
    """The revision the database is at; None for an empty database."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head
