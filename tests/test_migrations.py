"""One migration history: an empty SQLite or PostgreSQL database upgrades to head, and the
models and the migrations agree."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from bot.services import Services
from bot.settings import Settings
from storage.database import Database, normalise_url
from storage.migrate import current_revision, differences, downgrade, head_revision, upgrade


def fresh_postgres() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("set TEST_DATABASE_URL to a PostgreSQL database to run this")
    name = f"verkosto_migrations_{uuid.uuid4().hex[:8]}"
    server = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield normalise_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        database = Database(url)
        yield database
        database.dispose()
        return
    for url in fresh_postgres():
        database = Database(url)
        yield database
        database.dispose()


def test_an_empty_database_upgrades_to_head(empty_database: Database) -> None:
    assert current_revision(empty_database) is None
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()


def test_models_and_migrations_agree(empty_database: Database) -> None:
    upgrade(empty_database)
    assert differences(empty_database) == []


def test_downgrade_to_nothing_and_back(empty_database: Database) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert current_revision(empty_database) is None
    upgrade(empty_database)
    assert differences(empty_database) == []


def test_ready_only_at_the_head_revision(empty_database: Database) -> None:
    """What `GET /readyz` answers: not before the migrations ran, nor one revision behind."""
    services = Services.build(
        Settings(slack_bot_token="x", slack_signing_secret="y", _env_file=None), empty_database
    )
    assert services.healthy() and not services.ready()
    upgrade(empty_database)
    assert services.ready()
    downgrade(empty_database, "-1")
    assert not services.ready()
