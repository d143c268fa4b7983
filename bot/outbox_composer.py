"""What each outbox message becomes, decided once for every platform: what to show (a card read
from the current data), in whose words, and how to send it: a new post, an update of the message
sent under a key, or a reply in its thread. A platform's courier only renders and sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain import (
    DIGEST_MESSAGES,
    EVENT_MESSAGES,
    POLL_MESSAGES,
    SIGNAL_MESSAGES,
    Delivery,
    MembershipStatus,
    MessageKind,
    Role,
)
from bot.i18n import Markup, Translator, neutral
from bot.results.digests import ChannelDigest, PersonalDigest
from bot.results.events import EventCard
from bot.results.memberships import JoinRequest, MembershipNotice, RequestDecision, RoleChange
from bot.results.people import Recipient
from bot.results.polls import PollCard
from bot.results.refs import NetworkRef, PersonRef
from bot.results.signals import SignalCard
from bot.services import Services, message_keys
from bot.services.digests import digest_period
from bot.services.outbox import OutboxItem, RetryLater, Sent, Undeliverable

NOT_SENT_YET_RETRY_SECONDS = 5


class How(StrEnum):
    """How a composed message is sent."""

    POST = "post"
    UPDATE = "update"  # the message at `Composed.at`, in place
    REPLY = "reply"  # in the thread of the message at `Composed.at`


@dataclass(frozen=True)
class Reminder:
    card: EventCard
    minutes_before: int


@dataclass(frozen=True)
class EventChange:
    card: EventCard
    changed: Sequence[str]
    before: Mapping[str, Any]


@dataclass(frozen=True)
class RoleNotice:
    change: RoleChange
    by: PersonRef


@dataclass(frozen=True)
class RequestWithdrawn:
    person: Recipient
    network: NetworkRef


Content = (
    EventCard
    | Reminder
    | EventChange
    | PollCard
    | SignalCard
    | ChannelDigest
    | PersonalDigest
    | JoinRequest
    | RequestDecision
    | RequestWithdrawn
    | RoleNotice
)


@dataclass(frozen=True)
class Composed:
    """One outbox message, ready to render: its kind and content, the words and time zone of
    those who read it (`t`), and how it goes. `invite` asks the platform to add a person to
    a conversation first, `(conversation, person)`; the answer says whether they are in it."""

    kind: MessageKind
    content: Content
    t: Translator
    how: How
    now: datetime
    at: Sent | None = None
    invite: tuple[str, str] | None = None


class OutboxComposer:
    """Composes outbox messages from the current data; pass `compose` to a platform's courier."""

    def __init__(self, services: Services, command: str, markup: Markup = neutral) -> None:
        self._services = services
        self._command = command
        self._markup = markup

    def compose(self, item: OutboxItem) -> Composed | None:
        """What `item` becomes; None when there is nothing to send (any more). Raises
        `Undeliverable` when what it was about is gone, `RetryLater` when it must wait."""
        if item.kind in EVENT_MESSAGES:
            return self._event(item)
        if item.kind in POLL_MESSAGES:
            return self._poll(item)
        if item.kind in SIGNAL_MESSAGES:
            return self._signal(item)
        if item.kind in DIGEST_MESSAGES:
            return self._digest(item)
        return self._membership(item)

    def _composed(
        self,
        item: OutboxItem,
        content: Content,
        t: Translator,
        how: How = How.POST,
        *,
        at: Sent | None = None,
        invite: tuple[str, str] | None = None,
    ) -> Composed:
        now = self._services.clock.now()
        return Composed(item.kind, content, t, how, now, at=at, invite=invite)

    def _event(self, item: OutboxItem) -> Composed | None:
        card = self._services.events.card(item.workspace_id, int(item.payload["event_id"]))
        if card is None:
            raise Undeliverable("event_deleted")
        if item.kind is MessageKind.ANNOUNCEMENT_REFRESH:
            at = self._where_sent(message_keys.announcement(card.id))
            t = self._for_channel(card.language, card.timezone)
            return None if at is None else self._composed(item, card, t, How.UPDATE, at=at)
        if item.kind is MessageKind.ANNOUNCEMENT:
            return self._composed(item, card, self._for_channel(card.language, card.timezone))
        t = self._for_person(item)
        if item.kind is MessageKind.REMINDER:
            return self._composed(item, Reminder(card, int(item.payload["minutes_before"])), t)
        if item.kind is MessageKind.EVENT_CHANGED:
            changed, before = item.payload.get("changed", []), item.payload.get("before", {})
            return self._composed(item, EventChange(card, changed, before), t)
        if item.kind in (MessageKind.PROMOTION, MessageKind.EVENT_CANCELLED):
            return self._composed(item, card, t)
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _membership(self, item: OutboxItem) -> Composed | None:
        payload = item.payload
        notice = self._services.memberships.notice(
            item.workspace_id, int(payload["membership_id"]), payload.get("by")
        )
        if notice is None:
            raise Undeliverable("membership_deleted")
        t = self._for_person(item)
        if item.kind is MessageKind.REQUEST_CLOSED:
            # The coordinator's request notice is changed to say how the request ended.
            _, at = self._services.outbox.delivery_of(str(payload["notice"]))
            if at is None or at.conversation is None or at.ref is None:
                return None
            if payload.get("withdrawn"):
                withdrawn = RequestWithdrawn(notice.person, notice.network)
                return self._composed(item, withdrawn, t, How.UPDATE, at=at)
            decision = _decision(notice, bool(payload["approved"]))
            return self._composed(item, decision, t, How.UPDATE, at=at)
        if item.kind is MessageKind.JOIN_REQUEST:
            if notice.status is not MembershipStatus.PENDING:
                return None  # answered or withdrawn before the notice could go: nothing to ask
            requester = PersonRef(notice.person.user_id, notice.person.display_name)
            request = JoinRequest(notice.membership_id, notice.network, requester, notice.external)
            return self._composed(item, request, t)
        assert notice.acted_by is not None, "answers and roles name who gave them"
        if item.kind is MessageKind.REQUEST_ANSWER:
            decision = _decision(notice, bool(payload["approved"]))
            invite = None
            if decision.approved and decision.channel_id:
                invite = (decision.channel_id, notice.person.user_id)
            return self._composed(item, decision, t, invite=invite)
        if item.kind is MessageKind.ROLE_GIVEN:
            change = RoleChange(
                notice.network,
                notice.person,
                Role(payload["role"]),
                bool(payload["added"]),
                notice.channel_id,
            )
            return self._composed(item, RoleNotice(change, notice.acted_by), t)
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _poll(self, item: OutboxItem) -> Composed | None:
        card = self._services.polls.card(item.workspace_id, int(item.payload["poll_id"]))
        if card is None:
            raise Undeliverable("poll_deleted")
        posted = message_keys.poll_post(card.id)
        if item.kind in (MessageKind.POLL, MessageKind.POLL_REFRESH, MessageKind.POLL_RESULTS):
            t = self._for_channel(card.language, card.timezone)
            if item.kind is MessageKind.POLL:
                return self._composed(item, card, t)
            if item.kind is MessageKind.POLL_REFRESH:
                at = self._where_sent(posted)
                return None if at is None else self._composed(item, card, t, How.UPDATE, at=at)
            # The results go to the poll's thread, once the poll is there.
            _, at = self._services.outbox.delivery_of(posted)
            if at is None or at.ref is None:
                return None
            return self._composed(item, card, t, How.REPLY, at=at)
        if item.kind in (
            MessageKind.POLL_NUDGE,
            MessageKind.FEEDBACK_REQUEST,
            MessageKind.FEEDBACK_SUMMARY,
        ):
            return self._composed(item, card, self._for_person(item))
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _signal(self, item: OutboxItem) -> Composed | None:
        card = self._services.signals.card(item.workspace_id, int(item.payload["signal_id"]))
        if card is None:
            raise Undeliverable("signal_deleted")
        t = self._for_channel(card.language, self._services.defaults.timezone)
        if item.kind is MessageKind.SIGNAL_REFRESH:
            at = self._where_sent(message_keys.signal_post(card.id))
            return None if at is None else self._composed(item, card, t, How.UPDATE, at=at)
        return self._composed(item, card, t)

    def _digest(self, item: OutboxItem) -> Composed:
        """A digest, composed again for its period from the stored data."""
        digests = self._services.digests
        period = digest_period(item.payload)
        subject_id = int(item.payload["subject_id"])
        if item.kind is MessageKind.CHANNEL_DIGEST:
            channel = digests.channel_digest(item.workspace_id, subject_id, period)
            if channel is None:
                raise Undeliverable("network_deleted")
            t = self._for_channel(channel.language, self._services.defaults.timezone)
            return self._composed(item, channel, t)
        personal = digests.personal_digest(item.workspace_id, subject_id, period)
        if personal is None:
            raise Undeliverable("person_deleted")
        return self._composed(item, personal, self._for_person(item))

    def _where_sent(self, key: str) -> Sent | None:
        """Where the message sent under `key` is, to be updated; None if it never went out,
        and later if it has yet to go."""
        state, where = self._services.outbox.delivery_of(key)
        if where is None or where.conversation is None or where.ref is None:
            if state in (Delivery.PENDING, Delivery.SENDING):
                raise RetryLater("message_not_sent_yet", NOT_SENT_YET_RETRY_SECONDS)
            return None
        return where

    def _for_channel(self, language: str, timezone: str) -> Translator:
        """A channel is read by many: the message's own language and time zone."""
        return Translator(language, timezone, command=self._command, markup=self._markup)

    def _for_person(self, item: OutboxItem) -> Translator:
        person = self._services.people.recipient(item.workspace_id, item.recipient)
        return Translator(
            person.language, person.timezone, command=self._command, markup=self._markup
        )


def _decision(notice: MembershipNotice, approved: bool) -> RequestDecision:
    assert notice.acted_by is not None
    return RequestDecision(
        approved=approved,
        network=notice.network,
        requester=notice.person,
        decided_by=notice.acted_by,
        channel_id=notice.channel_id,
    )
