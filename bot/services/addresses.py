"""Where the bot reaches people and conversations on its own, on platforms that need more than
an id for it (Teams): kept when the bot meets them, read when it sends."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import Platform
from storage.database import Database


@dataclass(frozen=True)
class Address:
    """`workspace_id`: the platform's id for the workspace (a Teams tenant); `conversation_id`:
    the conversation itself, or a person's chat with the bot (None until there is one);
    `account_id`: the person's id in the bot's chats."""

    workspace_id: str
    service_url: str
    conversation_id: str | None = None
    account_id: str | None = None


class AddressBook:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def keep(self, subject: str, address: Address, platform: Platform) -> None:
        """Store where `subject` (a person's or a conversation's platform id) is reached; what
        `address` leaves None stays as stored."""
        now = self._clock.now()
        values = {
            "conversation_id": address.conversation_id,
            "service_url": address.service_url,
            "account_id": address.account_id,
        }
        with self._db.transaction() as store:
            workspace = store.workspaces.ensure(address.workspace_id, None, now, platform)
            store.addresses.keep(workspace.id, subject, values, now)

    def find(self, subject: str) -> Address | None:
        """Where `subject` is reached, if the bot has met them."""
        with self._db.snapshot() as store:
            found = store.addresses.of(subject)
            if found is None:
                return None
            row, workspace_id = found
            return Address(workspace_id, row.service_url, row.conversation_id, row.account_id)
