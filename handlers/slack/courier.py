"""Sends outbox messages through Slack's Web API: renders each from the current data, posts or
updates it, and sorts Slack's failures into "try again later" and "never"."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

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
from bot.i18n import Translator
from bot.services import Services, message_keys
from bot.services.digests import digest_period
from bot.services.outbox import OutboxItem, RetryLater, Sent, Undeliverable
from bot.settings import Settings
from bot.views import (
    EventCard,
    JoinRequest,
    MembershipNotice,
    PersonRef,
    RequestDecision,
    RoleChange,
)
from handlers.slack import digest_render, event_render, poll_render, signal_render
from handlers.slack.messenger import ALREADY_IN_CHANNEL
from handlers.slack.render import (
    Reply,
    channel_note,
    decision_for_coordinator,
    decision_for_requester,
    request_notice,
    request_withdrawn_notice,
    role_notice,
)

log = logging.getLogger(__name__)

# Slack's answers that sending again will not change.
PERMANENT_ERRORS = frozenset(
    {
        ALREADY_IN_CHANNEL,
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "cannot_dm_bot",
        "invalid_blocks",
        "msg_too_long",
        "message_not_found",
        "cant_update_message",
        "restricted_action",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
    }
)
NOT_SENT_YET_RETRY_SECONDS = 5
# Marks the bot's own messages with their outbox key, so that an interrupted send can be checked.
METADATA_EVENT = "verkosto_outbox"
HISTORY_PAGE = 200


class SlackCourier:
    """Delivers `OutboxItem`s; pass `deliver` to `OutboxService.drain`."""

    def __init__(self, settings: Settings, services: Services, client: WebClient) -> None:
        self._settings = settings
        self._services = services
        self._client = client

    def deliver(self, item: OutboxItem) -> Sent:
        if item.kind in EVENT_MESSAGES:
            return self._deliver_event(item)
        if item.kind in POLL_MESSAGES:
            return self._deliver_poll(item)
        if item.kind in SIGNAL_MESSAGES:
            return self._deliver_signal(item)
        if item.kind in DIGEST_MESSAGES:
            return self._deliver_digest(item)
        return self._deliver_membership(item)

    def _deliver_event(self, item: OutboxItem) -> Sent:
        card = self._services.events.card(item.workspace_id, int(item.payload["event_id"]))
        if card is None:
            raise Undeliverable("event_deleted")
        if item.kind is MessageKind.ANNOUNCEMENT_REFRESH:
            return self._refresh(card)
        return self._post_once(item, self._render(item, card))

    def _render(self, item: OutboxItem, card: EventCard) -> Reply:
        public_url = self._settings.verkosto_public_url
        if item.kind is MessageKind.ANNOUNCEMENT:
            return event_render.announcement(
                self._for_channel(card.language, card.timezone), card, public_url
            )
        t = self._for_person(item)
        if item.kind is MessageKind.REMINDER:
            minutes = int(item.payload["minutes_before"])
            return event_render.reminder(t, card, minutes, public_url)
        if item.kind is MessageKind.PROMOTION:
            return event_render.promotion(t, card, public_url)
        if item.kind is MessageKind.EVENT_CHANGED:
            changed, before = item.payload.get("changed", []), item.payload.get("before", {})
            return event_render.change_notice(t, card, changed, before, public_url)
        if item.kind is MessageKind.EVENT_CANCELLED:
            return event_render.cancellation(t, card)
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _deliver_membership(self, item: OutboxItem) -> Sent:
        payload = item.payload
        notice = self._services.memberships.notice(
            item.workspace_id, int(payload["membership_id"]), payload.get("by")
        )
        if notice is None:
            raise Undeliverable("membership_deleted")
        t = self._for_person(item)
        if item.kind is MessageKind.REQUEST_CLOSED:
            return self._close_request(t, item, notice)
        if item.kind is MessageKind.JOIN_REQUEST:
            if notice.status is not MembershipStatus.PENDING:
                return Sent()  # answered or withdrawn before the notice could go: nothing to ask
            requester = PersonRef(notice.person.user_id, notice.person.display_name)
            request = JoinRequest(notice.membership_id, notice.network, requester)
            return self._post_once(item, request_notice(t, request))
        assert notice.acted_by is not None, "answers and roles name who gave them"
        if item.kind is MessageKind.REQUEST_ANSWER:
            decision = _decision(notice, bool(payload["approved"]))
            note = None
            if decision.approved and decision.channel_id:
                invited = self._invite(decision.channel_id, notice.person.user_id)
                note = channel_note(t, decision.channel_id, invited)
            return self._post_once(item, decision_for_requester(t, decision, note))
        if item.kind is MessageKind.ROLE_GIVEN:
            change = RoleChange(
                notice.network,
                notice.person,
                Role(payload["role"]),
                bool(payload["added"]),
                notice.channel_id,
            )
            return self._post_once(item, role_notice(t, change, notice.acted_by))
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _close_request(self, t: Translator, item: OutboxItem, notice: MembershipNotice) -> Sent:
        """Change a coordinator's request notice to say how the request ended."""
        _, where = self._services.outbox.delivery_of(str(item.payload["notice"]))
        if where is None or where.channel is None or where.ts is None:
            return Sent()
        if item.payload.get("withdrawn"):
            reply = request_withdrawn_notice(t, notice.person, notice.network)
        else:
            reply = decision_for_coordinator(t, _decision(notice, bool(item.payload["approved"])))
        self._call("chat_update", channel=where.channel, ts=where.ts, **reply.as_message())
        return Sent(where.channel, where.ts)

    def _invite(self, channel_id: str, user_id: str) -> bool:
        """Add someone to a channel; whether they are in it. Inviting again changes nothing, so
        a retried message can invite again."""
        try:
            self._call("conversations_invite", channel=channel_id, users=[user_id])
        except Undeliverable as refused:
            return refused.reason == ALREADY_IN_CHANNEL
        except RetryLater:
            return False
        return True

    def _post_once(self, item: OutboxItem, reply: Reply, thread_ts: str | None = None) -> Sent:
        """Post a new message, unless an interrupted sender already did."""
        if item.interrupted:
            try:
                earlier = self._posted_before(item)
            except Undeliverable as refused:
                # Without the history scopes there is no telling; sending again beats losing it.
                log.warning("%s: cannot look for an earlier send (%s)", item.key, refused.reason)
                earlier = None
            if earlier is not None:
                return earlier
        return self._post(item, reply, thread_ts)

    def _refresh(self, card: EventCard) -> Sent:
        """Show the announcement's current state in place."""
        reply = event_render.announcement(
            self._for_channel(card.language, card.timezone),
            card,
            self._settings.verkosto_public_url,
        )
        return self._update(message_keys.announcement(card.id), reply)

    def _deliver_poll(self, item: OutboxItem) -> Sent:
        card = self._services.polls.card(item.workspace_id, int(item.payload["poll_id"]))
        if card is None:
            raise Undeliverable("poll_deleted")
        now = self._services.clock.now()
        posted = message_keys.poll_post(card.id)
        if item.kind in (MessageKind.POLL, MessageKind.POLL_REFRESH, MessageKind.POLL_RESULTS):
            t = self._for_channel(card.language, card.timezone)
            if item.kind is MessageKind.POLL:
                return self._post_once(item, poll_render.poll_message(t, card, now))
            if item.kind is MessageKind.POLL_REFRESH:
                return self._update(posted, poll_render.poll_message(t, card, now))
            # The results go to the poll's thread, once the poll is there.
            _, where = self._services.outbox.delivery_of(posted)
            if where is None or where.ts is None:
                return Sent()
            reply = poll_render.results_reply(t, card, now)
            return self._post_once(item, reply, thread_ts=where.ts)
        t = self._for_person(item)
        if item.kind is MessageKind.POLL_NUDGE:
            return self._post_once(item, poll_render.nudge_message(t, card))
        if item.kind is MessageKind.FEEDBACK_REQUEST:
            return self._post_once(item, poll_render.feedback_request(t, card))
        if item.kind is MessageKind.FEEDBACK_SUMMARY:
            return self._post_once(item, poll_render.feedback_summary(t, card, now))
        raise Undeliverable(f"unknown_kind:{item.kind}")

    def _deliver_signal(self, item: OutboxItem) -> Sent:
        card = self._services.signals.card(item.workspace_id, int(item.payload["signal_id"]))
        if card is None:
            raise Undeliverable("signal_deleted")
        reply = signal_render.signal_message(
            self._for_channel(card.language, self._services.defaults.timezone), card
        )
        if item.kind is MessageKind.SIGNAL_REFRESH:
            return self._update(message_keys.signal_post(card.id), reply)
        return self._post_once(item, reply)

    def _deliver_digest(self, item: OutboxItem) -> Sent:
        """A digest, composed again for its period from the stored data."""
        digests = self._services.digests
        period = digest_period(item.payload)
        subject_id = int(item.payload["subject_id"])
        if item.kind is MessageKind.CHANNEL_DIGEST:
            channel = digests.channel_digest(item.workspace_id, subject_id, period)
            if channel is None:
                raise Undeliverable("network_deleted")
            t = self._for_channel(channel.language, self._services.defaults.timezone)
            return self._post_once(item, digest_render.channel_digest(t, channel))
        personal = digests.personal_digest(item.workspace_id, subject_id, period)
        if personal is None:
            raise Undeliverable("person_deleted")
        return self._post_once(
            item, digest_render.personal_digest(self._for_person(item), personal)
        )

    def _update(self, key: str, reply: Reply) -> Sent:
        """Change the message the outbox sent under `key`; nothing to do if it never went out,
        and later if it has yet to go."""
        state, where = self._services.outbox.delivery_of(key)
        if where is None or where.channel is None or where.ts is None:
            if state in (Delivery.PENDING, Delivery.SENDING):
                raise RetryLater("message_not_sent_yet", NOT_SENT_YET_RETRY_SECONDS)
            return Sent()
        self._call("chat_update", channel=where.channel, ts=where.ts, **reply.as_message())
        return Sent(where.channel, where.ts)

    def _for_channel(self, language: str, timezone: str) -> Translator:
        """A channel is read by many: the message's own language and time zone."""
        return Translator(language, timezone, command=self._settings.verkosto_command)

    def _for_person(self, item: OutboxItem) -> Translator:
        person = self._services.people.recipient(item.workspace_id, item.recipient)
        return Translator(person.language, person.timezone, command=self._settings.verkosto_command)

    def _post(self, item: OutboxItem, reply: Reply, thread_ts: str | None = None) -> Sent:
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": item.key}}
        thread = {"thread_ts": thread_ts} if thread_ts else {}
        response = self._call(
            "chat_postMessage",
            channel=item.recipient,
            metadata=metadata,
            **thread,
            **reply.as_message(),
        )
        return Sent(response.get("channel"), response.get("ts"))

    def _posted_before(self, item: OutboxItem) -> Sent | None:
        """The message, if an interrupted sender got it to Slack: found by its outbox key in
        the conversation's history since the row was queued."""
        conversation = item.recipient
        if not conversation.startswith(("C", "G", "D")):
            conversation = self._call("conversations_open", users=conversation)["channel"]["id"]
        history = self._call(
            "conversations_history",
            channel=conversation,
            oldest=f"{item.created_at.timestamp():.6f}",
            include_all_metadata=True,
            limit=HISTORY_PAGE,
        )
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if (metadata.get("event_payload") or {}).get("key") == item.key:
                log.info("%s had reached Slack before an interruption; not sent again", item.key)
                return Sent(conversation, message.get("ts"))
        return None

    def _call(self, method: str, **params: Any) -> Any:
        """A Web API call (chat_postMessage, chat_update, conversations_open,
        conversations_history), with Slack's failures sorted for the outbox."""
        try:
            return getattr(self._client, method)(**params)
        except SlackApiError as error:
            response = error.response
            reason = str(response.get("error") or f"http_{response.status_code}")
            if response.status_code == 429 or reason == "ratelimited":
                retry_after = response.headers.get("Retry-After") or response.headers.get(
                    "retry-after"
                )
                raise RetryLater(reason, float(retry_after) if retry_after else None) from error
            if response.status_code >= 500:
                # Slack may have done the work before failing to answer.
                raise RetryLater(reason, maybe_sent=True) from error
            if reason not in PERMANENT_ERRORS:
                raise RetryLater(reason) from error
            raise Undeliverable(reason) from error
        except OSError as error:
            # Timeouts and dropped connections: Slack may be back in a moment, and may have
            # taken the message before the answer was lost.
            raise RetryLater(type(error).__name__, maybe_sent=True) from error


def _decision(notice: MembershipNotice, approved: bool) -> RequestDecision:
    assert notice.acted_by is not None
    return RequestDecision(
        approved=approved,
        network=notice.network,
        requester=notice.person,
        decided_by=notice.acted_by,
        channel_id=notice.channel_id,
    )
