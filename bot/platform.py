"""The port to a chat platform (`PlatformPort`): what only the platform can do, which each
adapter implements (Slack with slack_sdk, Teams with its SDK). The core calls the platform
through it and nothing else; `Message` and `Form` are the platform's own message and form."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from bot.domain import RecipientKind
from bot.results.people import Profile
from bot.services.outbox import RetryLater, Sent, Undeliverable

Message = TypeVar("Message", contravariant=True)
Form = TypeVar("Form", contravariant=True)

Files = dict[str, str | bytes]
"""Files to hand a person, by name."""

SEND_FAILURES = (RetryLater, Undeliverable)
"""What sending raises: try again later, or never."""


class PlatformPort(Protocol[Message, Form]):
    """A chat platform, as the core uses it. Sending raises `RetryLater` or `Undeliverable`;
    `key` is the outbox key a message is sent under, so that it can be found again."""

    def post(
        self,
        conversation: str,
        message: Message,
        *,
        key: str | None = None,
        thread: str | None = None,
    ) -> Sent:
        """A new message in a conversation, or in the thread of the message `thread` there."""
        ...

    def update(self, at: Sent, message: Message) -> Sent:
        """The message at `at`, replaced in place for everyone."""
        ...

    def message_person(self, person_id: str, message: Message, *, key: str | None = None) -> Sent:
        """A message from the bot to one person, in their chat with the bot."""
        ...

    def find_sent(
        self, recipient: str, kind: RecipientKind, key: str, since: datetime
    ) -> Sent | None:
        """The message sent under `key` since `since`, if an interrupted sender got it there."""
        ...

    def open_form(self, trigger: str | None, form: Form) -> None:
        """A form (a modal, a dialog) for the person whose action gave `trigger`; raises
        `VerkostoError` when the platform would not open it."""
        ...

    def send_files(self, person_id: str, files: Files, comment: str) -> bool:
        """Files, by name, to one person; whether they were sent."""
        ...

    def invite(self, conversation: str, person_id: str) -> bool:
        """Add someone to a conversation; whether they are in it afterwards."""
        ...

    def read_profile(self, person_id: str) -> Profile | None:
        """A person's name, time zone and admin status; None when the platform cannot say just
        now. Raises `NotFound` for someone the platform says is gone."""
        ...
