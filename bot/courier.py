"""Sends what the outbox holds, on any platform: the core composes each message, the platform
renders it and is asked, through its port, to post it, update it or reply in its thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from bot.domain import RecipientKind
from bot.outbox_composer import Composed, How, OutboxComposer
from bot.platform import PlatformPort
from bot.services.outbox import OutboxItem, Sent, Undeliverable

log = logging.getLogger(__name__)

Message = TypeVar("Message")
Render = Callable[[Composed, bool], Message]
"""The platform's message for what the core composed; the flag says whether the recipient
was just added to the conversation the message points to."""


class Courier(Generic[Message]):
    """Delivers `OutboxItem`s; pass `deliver` to `OutboxService.drain`."""

    def __init__(
        self,
        composer: OutboxComposer,
        platform: PlatformPort[Message, Any],
        render: Render[Message],
    ) -> None:
        self._composer = composer
        self._platform = platform
        self._render = render

    def deliver(self, item: OutboxItem) -> Sent:
        """Send one message as the core composes it now; raises `RetryLater` or
        `Undeliverable`."""
        composed = self._composer.compose(item)
        if composed is None:
            return Sent()
        # Inviting again changes nothing, so a retried message may invite again.
        invited = composed.invite is not None and self._platform.invite(*composed.invite)
        message = self._render(composed, invited)
        if composed.how is How.UPDATE:
            assert composed.at is not None
            return self._platform.update(composed.at, message)
        if item.interrupted:
            earlier = self._sent_before(item)
            if earlier is not None:
                return earlier
        if item.recipient_kind is RecipientKind.PERSON:
            return self._platform.message_person(item.recipient, message, key=item.key)
        thread = composed.at.ref if composed.how is How.REPLY and composed.at else None
        return self._platform.post(item.recipient, message, key=item.key, thread=thread)

    def _sent_before(self, item: OutboxItem) -> Sent | None:
        """The message, if an interrupted sender got it to the platform."""
        try:
            earlier = self._platform.find_sent(
                item.recipient, item.recipient_kind, item.key, item.created_at
            )
        except Undeliverable as refused:
            # When the platform cannot tell, sending again beats losing the message.
            log.warning("%s: cannot look for an earlier send (%s)", item.key, refused.reason)
            return None
        if earlier is not None:
            log.info("%s had reached the platform before an interruption; not sent again", item.key)
        return earlier
