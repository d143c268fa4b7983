"""Sends outbox messages through Slack's Web API: renders each from the current data, posts or
updates it, and sorts Slack's failures into "try again later" and "never"."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import RecipientKind
from bot.outbox_composer import How, OutboxComposer
from bot.services import Services
from bot.services.outbox import OutboxItem, RetryLater, Sent, Undeliverable
from bot.settings import Settings
from handlers.slack.blocks import Reply
from handlers.slack.markup import slack_markup
from handlers.slack.messenger import ALREADY_IN_CHANNEL
from handlers.slack.outbox_render import outbox_reply

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
# Marks the bot's own messages with their outbox key, so that an interrupted send can be checked.
METADATA_EVENT = "verkosto_outbox"
HISTORY_PAGE = 200


class SlackCourier:
    """Delivers `OutboxItem`s as the core composes them; pass `deliver` to
    `OutboxService.drain`."""

    def __init__(self, settings: Settings, services: Services, client: WebClient) -> None:
        self._settings = settings
        self._composer = OutboxComposer(services, settings.verkosto_command, slack_markup)
        self._client = client

    def deliver(self, item: OutboxItem) -> Sent:
        composed = self._composer.compose(item)
        if composed is None:
            return Sent()
        invited = composed.invite is not None and self._invite(*composed.invite)
        reply = outbox_reply(composed, self._settings.verkosto_public_url, invited)
        if composed.how is How.UPDATE:
            assert composed.at is not None
            where = composed.at
            self._call(
                "chat_update", channel=where.conversation, ts=where.ref, **reply.as_message()
            )
            return Sent(where.conversation, where.ref)
        thread_ts = composed.at.ref if composed.how is How.REPLY and composed.at else None
        return self._post_once(item, reply, thread_ts)

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
        if item.recipient_kind is RecipientKind.PERSON:
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
