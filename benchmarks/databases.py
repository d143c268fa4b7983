"""The benchmarks' database: migrated and empty, and never one that holds data unless asked."""

from __future__ import annotations

import sys

from sqlalchemy import delete

from storage.database import Database
from storage.migrate import upgrade
from storage.models import Base


def fresh_database(url: str, wipe: bool) -> Database:
    """The database at `url`, migrated and emptied. One that holds data is refused (the process
    exits) unless `wipe` says emptying it is intended, as for the tests' database."""
    db = Database(url)
    upgrade(db)
    with db.snapshot() as store:
        if store.workspaces.all() and not wipe:
            sys.exit(f"{db.url.render_as_string()} holds data; pass --wipe to empty it")
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    return db
