"""Teams as the core's `PlatformPort`: Bot Connector behind each method, with the addresses the
bot keeps of the people and conversations it has met (`bot/services/addresses.py`).

What Teams does differently:
- a message is addressed by its conversation and the service address Teams gave with it, so
  one the bot has never seen cannot be reached (`Undeliverable`);
- a person's chat with the bot is created the first time the bot writes on its own;
- Bot Connector cannot list what a bot has sent, so `find_sent` cannot find a message whose
  answer was lost (a timeout, a dropped connection): then, and if a gateway's 5xx came after
  Teams had taken it, a message may arrive twice (docs/teams.md);
- a bot cannot add anyone to a channel, so `invite` says no, and the person is told where to
  find the network's conversation.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain import Platform, RecipientKind
from bot.errors import VerkostoError
from bot.platform import Files
from bot.results.people import Profile
from bot.services.addresses import Address, AddressBook
from bot.services.handed_files import HandedFileService
from bot.services.outbox import RetryLater, Sent, Undeliverable
from handlers.teams.cards import Message, files_message, wire
from handlers.teams.connector import BotConnector
from handlers.web.files import file_url

log = logging.getLogger(__name__)

NOT_SHOWN = "Teams has not shown the bot"
# A message in a channel's thread is sent to the conversation of the thread's first message.
THREAD = "{conversation};messageid={message}"


def unreachable(reason: str) -> bool:
    """Whether a refusal means the bot cannot reach the conversation at all (it is not in
    that team or chat, or Teams never showed it the conversation)."""
    return any(sign in reason for sign in ("HTTP 403", "HTTP 404", NOT_SHOWN))


class TeamsPlatform:
    """The port on Bot Connector, as the bot `bot_id` ("28:" and the app's id)."""

    def __init__(
        self,
        connector: BotConnector,
        addresses: AddressBook,
        bot_id: str,
        handed_files: HandedFileService,
        public_url: str | None,
    ) -> None:
        self._connector = connector
        self._addresses = addresses
        self._bot_id = bot_id
        self._handed_files = handed_files
        self._public_url = public_url
        # Profiles Teams told with an activity or a mention, by Entra object id: what Bot
        # Connector would say, without asking it.
        self.told: dict[str, Profile] = {}

    def post(
        self,
        conversation: str,
        message: Message,
        *,
        key: str | None = None,
        thread: str | None = None,
    ) -> Sent:
        address = self._address(conversation)
        target = (
            THREAD.format(conversation=conversation, message=thread) if thread else conversation
        )
        ref = self._connector.send(address.service_url, address.workspace_id, target, wire(message))
        return Sent(conversation, ref)

    def update(self, at: Sent, message: Message) -> Sent:
        if not at.conversation or not at.ref:
            raise Undeliverable("nothing to update")
        address = self._address(at.conversation)
        conversation = address.conversation_id or at.conversation
        self._connector.update(
            address.service_url, address.workspace_id, conversation, at.ref, wire(message)
        )
        return at

    def message_person(self, person_id: str, message: Message, *, key: str | None = None) -> Sent:
        address = self._address(person_id)
        chat = address.conversation_id or self._open_chat(person_id, address)
        ref = self._connector.send(address.service_url, address.workspace_id, chat, wire(message))
        return Sent(person_id, ref)

    def find_sent(
        self, recipient: str, kind: RecipientKind, key: str, since: datetime
    ) -> Sent | None:
        # Bot Connector cannot list a conversation's messages to a bot.
        return None

    def open_form(self, trigger: str | None, form: object) -> None:
        # A dialog opens only as the answer to the person's own click (task/fetch).
        raise VerkostoError("teams.form_on_click")

    def send_files(self, person_id: str, files: Files, comment: str) -> bool:
        """Links to the files, for a day, in the person's chat with the bot: Teams takes files
        from a bot only through a consent card and the person's OneDrive, which a state
        tenant's policies often block. Without a public address there is nothing to link."""
        address = self._addresses.find(person_id)
        if address is None or not self._public_url:
            return False
        handed = self._handed_files.hand(address.workspace_id, person_id, files)
        links = [(name, file_url(self._public_url, token, name)) for name, token in handed]
        try:
            self.message_person(person_id, files_message(comment, links))
        except (RetryLater, Undeliverable) as failed:
            log.warning("files for %s not sent: %s", person_id, failed)
            return False
        return True

    def invite(self, conversation: str, person_id: str) -> bool:
        return False

    def read_profile(self, person_id: str) -> Profile | None:
        if person_id in self.told:
            return self.told[person_id]
        address = self._addresses.find(person_id)
        if address is None or not address.conversation_id or not address.account_id:
            return None
        try:
            member = self._connector.member(
                address.service_url,
                address.workspace_id,
                address.conversation_id,
                address.account_id,
            )
        except (RetryLater, Undeliverable):
            return None
        name = member.get("name") or member.get("givenName") or person_id
        return Profile(display_name=str(name)[:200])

    def _address(self, subject: str) -> Address:
        address = self._addresses.find(subject)
        if address is None:
            raise Undeliverable(f"{NOT_SHOWN} {subject}")
        return address

    def _open_chat(self, person_id: str, address: Address) -> str:
        if not address.account_id:
            raise Undeliverable(f"no account in the bot's chats for {person_id}")
        chat = self._connector.personal_chat(
            address.service_url, address.workspace_id, address.account_id, self._bot_id
        )
        kept = Address(address.workspace_id, address.service_url, chat, address.account_id)
        self._addresses.keep(person_id, kept, Platform.TEAMS)
        return chat
