"""Engines, sessions and transactions for SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import configure_mappers, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.errors import Unavailable
from storage.store import Store

SQLITE_BUSY_TIMEOUT_SECONDS = 15
# PostgreSQL's "try again" codes: serialization failure, deadlock.
RETRY_SQLSTATES = frozenset({"40001", "40P01"})


def normalise_url(url: str) -> URL:
    """Accept the URLs operators paste (`postgres://`, `postgresql://`) and use psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


class Database:
    """One database: a write transaction and a read snapshot, each yielding a `Store`.

    On SQLite, writes start with BEGIN IMMEDIATE so that two writers queue on the lock instead
    of failing half-way; reads start a plain deferred transaction and never block writers (WAL).
    """

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = normalise_url(url)
        self.engine = self._create_engine(**engine_options)
        writer = self.engine.execution_options(verkosto_begin="BEGIN IMMEDIATE")
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._committed = threading.local()

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _create_engine(self, **options: Any) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True, **options)
        engine = create_engine(
            self.url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            **options,
        )

        @event.listens_for(engine, "connect")
        def _configure(dbapi_connection: Any, _record: Any) -> None:
            # Hand transaction control to SQLAlchemy's "begin" event below.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            if self.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            statement = connection.get_execution_options().get("verkosto_begin", "BEGIN")
            connection.exec_driver_sql(statement)

        return engine

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """A unit of work that writes: committed on success, rolled back on any error. A
        database that cannot do it now raises `Unavailable`."""
        with self._unavailable_on_failure(), self._write_sessions.begin() as session:
            yield Store(session)
        self._committed.count = self.commits() + 1

    def commits(self) -> int:
        """How many transactions this thread has committed: whether work that failed had
        already written something."""
        return getattr(self._committed, "count", 0)

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """A consistent read; closing it rolls back anything written by mistake."""
        with self._unavailable_on_failure(), self._read_sessions() as session:
            yield Store(session)

    @contextmanager
    def _unavailable_on_failure(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            raise Unavailable(retry_safe=self._turned_away(error)) from error

    def _turned_away(self, error: OperationalError) -> bool:
        """Whether the database refused the work before doing any of it."""
        if self.is_sqlite:
            return "locked" in str(error.orig) or "busy" in str(error.orig)
        return getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def warm(self, connections: int = 1) -> None:
        """Do now what the first queries would pay for: set up the mappings between tables and
        classes, and open `connections` pooled connections (as many as run at once), so that no
        request waits for a new one."""
        configure_mappers()
        pool = self.engine.pool
        pooled = pool.size() if isinstance(pool, QueuePool) else 1
        opened = []
        try:
            for _ in range(max(1, min(connections, pooled))):
                connection = self.engine.connect()
                opened.append(connection)
                connection.execute(text("SELECT 1"))
        finally:
            for connection in opened:
                connection.close()

    def dispose(self) -> None:
        self.engine.dispose()
