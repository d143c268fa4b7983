"""Alembic, configured from code so that it works from an installed package."""

from __future__ import annotations

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


def upgrade(database: Database, revision: str = "head") -> None:
    """Run the migrations up to `revision` (head by default)."""
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(database, connection), revision)


def downgrade(database: Database, revision: str) -> None:
    """Undo migrations down to `revision` ("base" for an empty database)."""
    with database.engine.begin() as connection:
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
