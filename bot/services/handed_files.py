"""Files handed to a person as links that `verkosto serve` answers, where a platform takes no
files from a bot (Teams): each link unguessable, sent to its one person only, and kept for a
day (whoever has a link can use it until then)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from bot.clock import Clock
from storage.database import Database
from storage.models import HandedFile

LIFETIME = timedelta(hours=24)


class HandedFileService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def hand(
        self, team_id: str, user_id: str, files: Mapping[str, str | bytes]
    ) -> list[tuple[str, str]]:
        """Keep `files` for the person for a day; each file's name and token, in order."""
        now = self._clock.now()
        handed = []
        with self._db.transaction() as store:
            workspace = store.workspaces.by_team(team_id)
            assert workspace is not None, "files are handed in a workspace the bot knows"
            for name, content in files.items():
                token = secrets.token_urlsafe(32)
                data = content.encode() if isinstance(content, str) else content
                store.handed_files.add(
                    HandedFile(
                        token=token,
                        workspace_id=workspace.id,
                        person_user_id=user_id,
                        name=name[:200],
                        content=data,
                        expires_at=now + LIFETIME,
                    )
                )
                handed.append((name[:200], token))
        return handed

    def take(self, token: str, name: str) -> bytes | None:
        """The file at this link, unless it expired or never was."""
        with self._db.snapshot() as store:
            found = store.handed_files.valid(token, name, self._clock.now())
            return bytes(found.content) if found else None

    def let_go(self) -> int:
        """Delete the files whose day is over; how many."""
        with self._db.transaction() as store:
            return store.handed_files.expired(self._clock.now())
