"""Importing networks from files shaped like `networks.json`. Importing twice changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from typing import Any

from pydantic import ValidationError

from bot.clock import Clock
from bot.domain import AuditAction, Platform
from bot.errors import InvalidInput
from bot.services.mapping import apply_changes
from bot.services.network_fields import NetworkRecord, column_values, problems
from storage.database import Database
from storage.models import Network

# Fields a file may set (with `public`, whether the network is on the web directory); join
# policy, listing and the channel belong to the coordinators.
IMPORTED_FIELDS = tuple(name for name in NetworkRecord.model_fields if name != "slug")


def bundled_networks() -> list[dict[str, Any]]:
    """The real networks shipped with the package (a copy of shared/data/networks.json)."""
    return json.loads(files("bot.data").joinpath("networks.json").read_text(encoding="utf-8"))


class RecordOutcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Rejection:
    """A record that was not imported, and why: one problem per failing field."""

    position: int
    record_id: str
    problems: tuple[InvalidInput, ...]


@dataclass
class ImportReport:
    counts: dict[RecordOutcome, int] = field(
        default_factory=lambda: dict.fromkeys(RecordOutcome, 0)
    )
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections


Progress = Callable[[int, int, str, RecordOutcome], None]
"""Told after each record: its position (from 1), the total, its id and what happened to it."""


class NetworkImporter:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def known_teams(self) -> list[str]:
        """Team ids of the workspaces already stored."""
        with self._db.snapshot() as store:
            return [workspace.team_id for workspace in store.workspaces.all()]

    def run(
        self,
        team_id: str,
        records: list[Any],
        progress: Progress | None = None,
        team_name: str | None = None,
        platform: Platform = Platform.SLACK,
    ) -> ImportReport:
        """Validate every record and add or update the valid ones, each in its own transaction.
        A workspace not seen before is kept on `platform`."""
        report = ImportReport()
        seen: set[str] = set()
        for position, raw in enumerate(records, start=1):
            record_id, record, found = self._validate(raw, seen)
            if record is None:
                report.rejections.append(Rejection(position, record_id, tuple(found)))
                outcome = RecordOutcome.REJECTED
            else:
                seen.add(record.slug)
                outcome = self._save(team_id, team_name, platform, record)
            report.counts[outcome] += 1
            if progress is not None:
                progress(position, len(records), record_id, outcome)
        return report

    @staticmethod
    def _validate(
        raw: Any, seen: set[str]
    ) -> tuple[str, NetworkRecord | None, Iterable[InvalidInput]]:
        if not isinstance(raw, dict):
            return "?", None, [InvalidInput("error.import.not_an_object", field="")]
        record_id = str(raw.get("id", "?"))[:80]
        try:
            record = NetworkRecord.model_validate(raw)
        except ValidationError as error:
            return record_id, None, problems(error)
        if record.slug in seen:
            return record_id, None, [InvalidInput("error.import.duplicate", field="id")]
        return record_id, record, []

    def _save(
        self, team_id: str, team_name: str | None, platform: Platform, record: NetworkRecord
    ) -> RecordOutcome:
        now = self._clock.now()
        # Fields the record leaves out are left as they are.
        given = [name for name in IMPORTED_FIELDS if name in record.model_fields_set]
        values = column_values(record, given)
        with self._db.transaction() as store:
            workspace = store.workspaces.ensure(team_id, team_name, now, platform)
            network = store.networks.by_slug(workspace.id, record.slug)
            if network is None:
                network = Network(workspace_id=workspace.id, slug=record.slug, created_at=now)
                apply_changes(network, values, now)
                store.networks.add(network)
                outcome = RecordOutcome.ADDED
            elif apply_changes(network, values, now):
                outcome = RecordOutcome.UPDATED
            else:
                return RecordOutcome.UNCHANGED
            store.audit.record(
                workspace_id=workspace.id,
                action=AuditAction.NETWORK_IMPORTED,
                at=now,
                network_id=network.id,
                details={"outcome": outcome.value},
            )
            return outcome
