"""A database written by the code of the previous migration head (0008) upgrades to the neutral
addresses of 0009 on SQLite and PostgreSQL, and everything in it still works through the app.

`tests/data/previous-head.sqlite` was written by `tests/data/make_previous_head.py` with the code
of commit 41e9a50 (networks, people, a pending request, an event with a waitlist, two polls with
votes, a signal saved from a message, outbox rows sent and waiting). PostgreSQL gets the same
rows, copied into a fresh database migrated to 0008.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from bot.clock import FrozenClock
from bot.domain import Answer, MembershipStatus, MessageKind, Platform, RecipientKind
from bot.outbox_composer import How
from bot.results.memberships import JoinRequest
from bot.services import Services
from bot.services.outbox import Sent
from bot.services.signals import SignalSource
from bot.settings import Settings
from storage.database import Database
from storage.migrate import current_revision, differences, head_revision, upgrade
from storage.models import Membership, OutboxMessage, Person, Workspace
from tests.core.platform import Scene
from tests.test_migrations import fresh_postgres

FIXTURE = Path(__file__).parent / "data" / "previous-head.sqlite"
PREVIOUS_HEAD = "0008"
TEAM = "T0PREVIOUS"
# When the fixture was written; the test's clock goes on from there.
WRITTEN_AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
OPEN_NETWORK = "kansallinen-ennakointiverkosto"
REQUEST_NETWORK = "hr-juristiverkosto"


def _copy_rows(source_url: str, target: Database) -> None:
    """Every row of the fixture into `target`, migrated to the same revision, table by table
    in the order of their foreign keys; then the id sequences past the copied ids."""
    source = create_engine(source_url)
    tables = MetaData()
    tables.reflect(source)
    with source.connect() as reading, target.engine.begin() as writing:
        writing.execute(text("SET TIME ZONE 'UTC'"))
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(row._mapping) for row in reading.execute(select(table))]
            if rows:
                writing.execute(table.insert(), rows)
            if "id" in table.columns:
                writing.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                    )
                )
    source.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def previous_head(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A copy of the fixture at revision 0008, on SQLite or on PostgreSQL."""
    if request.param == "sqlite":
        copy = tmp_path / "previous-head.sqlite"
        shutil.copyfile(FIXTURE, copy)
        database = Database(f"sqlite:///{copy}")
        yield database
        database.dispose()
        return
    for url in fresh_postgres():
        database = Database(url)
        upgrade(database, PREVIOUS_HEAD)
        _copy_rows(f"sqlite:///{FIXTURE}", database)
        yield database
        database.dispose()


@pytest.fixture
def upgraded(previous_head: Database) -> Scene:
    """The fixture upgraded to head, with the app on it and a fake platform."""
    assert current_revision(previous_head) == PREVIOUS_HEAD
    upgrade(previous_head)
    settings = Settings(database_url="sqlite://", verkosto_secret="previous-head", _env_file=None)
    services = Services.build(settings, previous_head, FrozenClock(WRITTEN_AT))
    scene = Scene.build(services, settings.verkosto_command, TEAM)
    for user_id, name in (("U0AINO", "Aino"), ("U0MIKKO", "Mikko"), ("U0SARA", "Sara")):
        scene.meet(user_id, name)
    return scene


def test_the_schema_is_the_models_and_every_row_is_kept(upgraded: Scene) -> None:
    db = upgraded.services.db
    assert current_revision(db) == head_revision()
    assert differences(db) == []
    with db.snapshot() as store:
        rows = store.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        kinds = {(row.kind, row.recipient_kind) for row in rows}
        sent = [(row.sent_conversation, row.sent_ref) for row in rows if row.sent_ref]
        workspace = store.session.scalar(select(Workspace))
        people = store.session.scalar(select(Person.id).where(Person.user_id == "U0SARA"))
    assert len(rows) == 11
    assert (MessageKind.JOIN_REQUEST, RecipientKind.PERSON) in kinds
    assert (MessageKind.ROLE_GIVEN, RecipientKind.PERSON) in kinds
    assert (MessageKind.ANNOUNCEMENT, RecipientKind.CONVERSATION) in kinds
    assert (MessageKind.POLL, RecipientKind.CONVERSATION) in kinds
    assert ("C0ENNAKOINTI", "1764489600.000004") in sent
    assert len(sent) == 4
    assert workspace is not None and workspace.platform == "slack"
    assert people is not None


def test_the_waiting_messages_go_out_and_updates_find_what_was_sent_before(
    upgraded: Scene,
) -> None:
    upgraded.send()

    refreshes = upgraded.platform.of_kind(MessageKind.ANNOUNCEMENT_REFRESH)
    assert refreshes and refreshes[-1].how is How.UPDATE
    assert refreshes[-1].at == Sent("C0ENNAKOINTI", "1764489600.000004")
    assert len(upgraded.platform.of_kind(MessageKind.POLL)) == 2
    (signal,) = upgraded.platform.of_kind(MessageKind.SIGNAL)
    assert signal.recipient == "C0ENNAKOINTI"


def test_the_pending_request_is_approved_and_the_requester_told(upgraded: Scene) -> None:
    with upgraded.services.db.snapshot() as store:
        pending = store.session.scalar(
            select(Membership.id).where(Membership.status == MembershipStatus.PENDING)
        )
    assert pending is not None

    upgraded.done(
        "U0AINO",
        lambda actor, t: upgraded.services.memberships.decide(actor, pending, approve=True),
    )
    upgraded.send()

    (answer,) = upgraded.platform.of_kind(MessageKind.REQUEST_ANSWER)
    assert answer.recipient == "U0SARA" and answer.content.approved
    joining = upgraded.act(
        "U0MIKKO",
        lambda actor, t: upgraded.services.memberships.join(actor, name=REQUEST_NETWORK),
    )
    assert joining.error is None
    upgraded.send()
    (asked,) = upgraded.platform.of_kind(MessageKind.JOIN_REQUEST)
    assert isinstance(asked.content, JoinRequest) and asked.recipient == "U0AINO"


def test_a_seat_given_up_still_goes_to_who_was_waiting(upgraded: Scene) -> None:
    with upgraded.services.db.snapshot() as store:
        event_id = store.session.scalar(text("SELECT id FROM events"))

    upgraded.done(
        "U0MIKKO",
        lambda actor, t: upgraded.services.events.answer(actor, event_id, Answer.NOT_GOING),
    )
    upgraded.send()

    (promotion,) = upgraded.platform.of_kind(MessageKind.PROMOTION)
    assert promotion.recipient == "U0AINO"


def test_a_signal_is_still_known_by_the_message_it_was_saved_from(upgraded: Scene) -> None:
    source = SignalSource("C0ENNAKOINTI", "1764489600.000100", None)

    again = upgraded.act(
        "U0AINO",
        lambda actor, t: upgraded.services.signals.record(
            actor, "the same message", name=OPEN_NETWORK, source=source
        ),
    )

    assert again.error is not None and again.error.key == "error.signal.already_saved"


def test_teams_sized_ids_are_stored_whole(upgraded: Scene) -> None:
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    person = "29:" + "1x" * 60
    scene = replace(upgraded, workspace=tenant, kind=Platform.TEAMS)
    scene.meet(person, "Teams Person")

    actor = scene.actor(person)

    with upgraded.services.db.snapshot() as store:
        stored = store.session.scalar(select(Person.user_id).where(Person.id == actor.person_id))
    assert stored == person
