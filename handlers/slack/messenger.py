"""What the bot sends on its own: direct messages, ephemeral notes, channel invitations."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.blocks import Reply

log = logging.getLogger(__name__)

ALREADY_IN_CHANNEL = "already_in_channel"


class Messenger:
    """Sends through the Web API; a failure is logged and reported, never raised."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def message_person(self, user_id: str, reply: Reply) -> str | None:
        """A direct message from the bot; returns its `ts`, or None when it could not be sent."""
        try:
            response = self.client.chat_postMessage(channel=user_id, **reply.as_message())
        except SlackApiError as error:
            log.warning("direct message to %s failed: %s", user_id, error.response.get("error"))
            return None
        return response.get("ts")

    def whisper(self, channel_id: str, user_id: str, reply: Reply) -> bool:
        """An ephemeral message that only `user_id` sees in `channel_id`."""
        try:
            self.client.chat_postEphemeral(channel=channel_id, user=user_id, **reply.as_message())
        except SlackApiError as error:
            log.warning("ephemeral in %s failed: %s", channel_id, error.response.get("error"))
            return False
        return True

    def send_files(self, user_id: str, files: dict[str, str | bytes], comment: str) -> bool:
        """Files (by name) in one direct message from the bot; True when they were uploaded."""
        uploads = [
            {"filename": name, "title": name, "content": content} for name, content in files.items()
        ]
        try:
            conversation = self.client.conversations_open(users=user_id)["channel"]["id"]
            self.client.files_upload_v2(
                channel=conversation, file_uploads=uploads, initial_comment=comment
            )
        except SlackApiError as error:
            log.warning("files to %s failed: %s", user_id, error.response.get("error"))
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

    def invite(self, channel_id: str, user_id: str) -> bool:
        """Add someone to a channel; True when they are in it afterwards."""
        try:
            self.client.conversations_invite(channel=channel_id, users=[user_id])
        except SlackApiError as error:
            reason = error.response.get("error")
            if reason == ALREADY_IN_CHANNEL:
                return True
            log.info("could not invite %s to %s: %s", user_id, channel_id, reason)
            return False
        return True

    def bot_is_in(self, channel_id: str) -> bool | None:
        """Whether the bot is a member of a channel; None when Slack could not tell."""
        try:
            response = self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            log.info("conversations.info %s failed: %s", channel_id, error.response.get("error"))
            return None
        return bool(response.get("channel", {}).get("is_member"))
