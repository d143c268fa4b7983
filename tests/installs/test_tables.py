"""The tables migration 0013 creates for slack_sdk's stores are the tables the stores use: same
columns, types and nullability (a slack_sdk that changes them shows here first)."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Table, create_engine

from storage.models import slack_bots, slack_installations, slack_oauth_states


def shape(table: Table) -> dict[str, tuple[str, bool]]:
    return {column.name: (repr(column.type), bool(column.nullable)) for column in table.columns}


@pytest.fixture(scope="module")
def stores() -> tuple[SQLAlchemyInstallationStore, SQLAlchemyOAuthStateStore]:
    engine = create_engine("sqlite://")
    return (
        SQLAlchemyInstallationStore(client_id="1.2", engine=engine),
        SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
    )


def test_the_installation_tables_are_the_stores(stores) -> None:
    installations, _ = stores
    assert shape(slack_bots) == shape(installations.bots)
    assert shape(slack_installations) == shape(installations.installations)
    assert {index.name for index in slack_bots.indexes} == {
        index.name for index in installations.bots.indexes
    }


def test_the_state_table_is_the_stores(stores) -> None:
    _, states = stores
    assert shape(slack_oauth_states) == shape(states.oauth_states)
