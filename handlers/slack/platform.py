"""Slack behind the core's platform port (`bot.platform.PlatformPort`), through the Web API: posts,
updates, direct messages, modals, files, channel invitations and profiles, with Slack's
failures sorted into "try again later" and "never". Also what only Slack has: ephemeral
messages and permalinks."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import RecipientKind
from bot.errors import NotFound, VerkostoError
from bot.platform import SEND_FAILURES, Files
from bot.results.people import Profile
from bot.results.workspaces import WorkspaceIdentity
from bot.services.outbox import RetryLater, Sent, Undeliverable
from handlers.slack.blocks import Reply
from handlers.slack.payloads import user_profile

log = logging.getLogger(__name__)

ALREADY_IN_CHANNEL = "already_in_channel"
UNKNOWN_USER_ERRORS = ("user_not_found", "user_not_visible")
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


class SlackPlatform:
    """The platform port on one `WebClient`; its retries and timeout are the client's. With
    `workspace`, the profiles it reads tell who is from another organisation."""

    def __init__(self, client: WebClient, workspace: WorkspaceIdentity | None = None) -> None:
        self.client = client
        self.workspace = workspace

    def post(
        self,
        conversation: str,
        message: Reply,
        *,
        key: str | None = None,
        thread: str | None = None,
    ) -> Sent:
        params: dict[str, Any] = {"thread_ts": thread} if thread else {}
        if key is not None:
            params["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        response = self._call(
            "chat_postMessage", channel=conversation, **params, **message.as_message()
        )
        return Sent(response.get("channel"), response.get("ts"))

    def update(self, at: Sent, message: Reply) -> Sent:
        self._call("chat_update", channel=at.conversation, ts=at.ref, **message.as_message())
        return Sent(at.conversation, at.ref)

    def message_person(self, person_id: str, message: Reply, *, key: str | None = None) -> Sent:
        # A user id as the channel posts to the person's conversation with the bot.
        return self.post(person_id, message, key=key)

    def find_sent(
        self, recipient: str, kind: RecipientKind, key: str, since: datetime
    ) -> Sent | None:
        """Found by its outbox key in the conversation's history since `since`."""
        conversation = recipient
        if kind is RecipientKind.PERSON:
            conversation = self._call("conversations_open", users=recipient)["channel"]["id"]
        history = self._call(
            "conversations_history",
            channel=conversation,
            oldest=f"{since.timestamp():.6f}",
            include_all_metadata=True,
            limit=HISTORY_PAGE,
        )
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if (metadata.get("event_payload") or {}).get("key") == key:
                return Sent(conversation, message.get("ts"))
        return None

    def open_form(self, trigger: str | None, form: dict[str, Any]) -> None:
        try:
            self.client.views_open(trigger_id=trigger, view=form)
        except SlackApiError as error:
            raise VerkostoError("error.modal_failed") from error

    def send_files(self, person_id: str, files: Files, comment: str) -> bool:
        """In one direct message from the bot."""
        uploads = [
            {"filename": name, "title": name, "content": content} for name, content in files.items()
        ]
        try:
            conversation = self._call("conversations_open", users=person_id)["channel"]["id"]
            self._call(
                "files_upload_v2",
                channel=conversation,
                file_uploads=uploads,
                initial_comment=comment,
            )
        except SEND_FAILURES as failed:
            log.warning("files to %s failed: %s", person_id, failed)
            return False
        return True

    def invite(self, conversation: str, person_id: str) -> bool:
        """Inviting again changes nothing, so a retried message may invite again."""
        try:
            self._call("conversations_invite", channel=conversation, users=[person_id])
        except Undeliverable as refused:
            if refused.reason == ALREADY_IN_CHANNEL:
                return True
            log.info("could not invite %s to %s: %s", person_id, conversation, refused.reason)
            return False
        except RetryLater as failed:
            log.info("could not invite %s to %s: %s", person_id, conversation, failed.reason)
            return False
        return True

    def read_profile(self, person_id: str) -> Profile | None:
        """From `users.info`; None when Slack cannot answer just now (what is stored then holds,
        and is read again next time)."""
        try:
            user = self.client.users_info(user=person_id)["user"]
        except SlackApiError as error:
            reason = error.response.get("error")
            if reason in UNKNOWN_USER_ERRORS:
                raise NotFound("error.person_not_found") from error
            log.warning("users.info %s failed: %s", person_id, reason)
        except OSError as error:
            log.warning("users.info %s failed: %s", person_id, error)
        else:
            if user.get("deleted") is True:
                # A deactivated account is still described, but nobody is there.
                raise NotFound("error.person_not_found")
            return user_profile(user, self.workspace)
        return None

    def whisper(self, channel_id: str, user_id: str, reply: Reply) -> bool:
        """An ephemeral message that only `user_id` sees in `channel_id`."""
        try:
            self._call("chat_postEphemeral", channel=channel_id, user=user_id, **reply.as_message())
        except SEND_FAILURES as failed:
            log.warning("ephemeral in %s failed: %s", channel_id, failed)
            return False
        return True

    def permalink(self, channel_id: str, message_ts: str) -> str | None:
        """A link to a message that opens it in Slack; None when Slack could not give one."""
        try:
            response = self.client.chat_getPermalink(channel=channel_id, message_ts=message_ts)
        except SlackApiError as error:
            log.info(
                "no permalink for %s in %s: %s", message_ts, channel_id, error.response.get("error")
            )
            return None
        permalink = response.get("permalink")
        return (
            permalink if isinstance(permalink, str) and permalink.startswith("https://") else None
        )

    def bot_is_in(self, channel_id: str) -> bool | None:
        """Whether the bot is a member of a channel; None when Slack could not tell."""
        try:
            response = self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            log.info("conversations.info %s failed: %s", channel_id, error.response.get("error"))
            return None
        return bool(response.get("channel", {}).get("is_member"))

    def _call(self, method: str, **params: Any) -> Any:
        """A Web API call, with Slack's failures sorted for the outbox."""
        try:
            return getattr(self.client, method)(**params)
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
