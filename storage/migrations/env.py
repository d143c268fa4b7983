"""Alembic environment: migrations run on the connection handed over, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from storage.migrate import comparison_options
from storage.models import Base

config = context.config


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations must not depend on application code that may change later.
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_item=render_item,
        **comparison_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as own_connection:
        run(own_connection)
    engine.dispose()
