"""What each Web API method the stand-in answers does to its workspace, as Slack would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from handlers.slack.standin.block_rules import check_message, check_view
from handlers.slack.standin.model import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Channel,
)


class WebApiMethods:
    """The Web API methods; mixed into `WebApiStandIn`, which keeps the state they change."""

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """The Web API methods the stand-in answers; any other gets `unknown_method`."""
        return {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "conversations.invite": self._conversations_invite,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "files.getUploadURLExternal": self._files_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Verkosto demo",
            "user": "verkosto",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.as_api()}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(params.get("channel", ""))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel.as_api()}

    def _usable_channel(self, channel_id: str) -> Channel | dict[str, Any]:
        """A channel the bot may act in, or Slack's error answer."""
        channel = self.channels.get(channel_id)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if channel.is_archived:
            return {"ok": False, "error": "is_archived"}
        if BOT_USER_ID not in channel.members:
            return {"ok": False, "error": "not_in_channel"}
        return channel

    def _conversations_invite(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._usable_channel(str(params.get("channel", "")))
        if isinstance(channel, dict):
            return channel
        users = params.get("users") or ""
        user_ids = users if isinstance(users, list) else str(users).split(",")
        unknown = [u for u in user_ids if u not in self.users]
        if unknown:
            return {"ok": False, "error": "user_not_found"}
        new = [u for u in user_ids if u not in channel.members]
        if not new:
            return {"ok": False, "error": "already_in_channel"}
        channel.members.update(new)
        if self.on_channel_join is not None:
            for user_id in new:
                self.on_channel_join(channel.id, user_id)
        return {"ok": True, "channel": channel.as_api()}

    def _deliverable(self, channel_id: str) -> str | dict[str, Any]:
        """The conversation a message goes to, or an error answer."""
        if channel_id in self.users:
            return "D" + channel_id[1:]
        channel = self._usable_channel(channel_id)
        return channel if isinstance(channel, dict) else channel.id

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        target = self._deliverable(str(params.get("channel", "")))
        if isinstance(target, dict):
            return target
        problems = check_message(params)
        if problems:
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        ts = self._new_ts()
        message = {"ts": ts, "text": params.get("text"), "blocks": params.get("blocks", [])}
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        with self._lock:
            self.messages[(target, ts)] = message
        return {"ok": True, "channel": target, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        target = self._deliverable(str(params.get("channel", "")))
        if isinstance(target, dict):
            return target
        if params.get("user") not in self.users:
            return {"ok": False, "error": "user_not_found"}
        problems = check_message(params)
        if problems:
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        return {"ok": True, "message_ts": self._new_ts()}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (str(params.get("channel")), str(params.get("ts")))
        with self._lock:
            message = self.messages.get(key)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        problems = check_message(params)
        if problems:
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        message.update(text=params.get("text"), blocks=params.get("blocks", []))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": params.get("text")}

    def _chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        """A permalink in Slack's shape for any message of a channel the stand-in knows."""
        channel = self._usable_channel(str(params.get("channel", "")))
        if isinstance(channel, dict):
            return channel
        ts = str(params.get("message_ts", ""))
        if not ts.replace(".", "").isdigit():
            return {"ok": False, "error": "message_not_found"}
        url = f"https://standin.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel.id, "permalink": url}

    def _files_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        with self._lock:
            self._uploads[file_id] = {"filename": params["filename"], "content": None}
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _upload(self, file_id: str, raw: bytes) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None:
                return 404, {"ok": False}, {}
            upload["content"] = raw
        return 200, {"ok": True}, {}

    def _files_complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        listed = json.loads(files) if isinstance(files, str) else files
        channel = str(params.get("channel_id") or "")
        if not channel.startswith("D"):
            usable = self._usable_channel(channel)
            if isinstance(usable, dict):
                return usable
        shared = []
        with self._lock:
            for entry in listed or []:
                upload = self._uploads.pop(str(entry.get("id")), None)
                if upload is None or upload["content"] is None:
                    return {"ok": False, "error": "file_not_found"}
                self.files[entry["id"]] = {
                    **upload,
                    "title": entry.get("title"),
                    "channel": channel,
                    "initial_comment": params.get("initial_comment"),
                }
                shared.append({"id": entry["id"], "title": entry.get("title")})
        return {"ok": True, "files": shared}

    def _new_ts(self) -> str:
        """A message timestamp as Slack makes them: seconds, then a sequence that keeps order."""
        return f"{int(self.clock())}.{next(self._ids):06d}"

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users") or "").split(",")
        if len(users) != 1 or users[0] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": "D" + users[0][1:]}}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if not channel.startswith("D"):
            usable = self._usable_channel(channel)
            if isinstance(usable, dict):
                return usable
        oldest = float(params.get("oldest") or 0)
        limit = int(params.get("limit") or 100)
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        with self._lock:
            found = [
                message
                for (target, ts), message in self.messages.items()
                if target == channel and float(ts) > oldest
            ]
        found.sort(key=lambda message: float(message["ts"]), reverse=True)
        shown = [
            {key: value for key, value in m.items() if key != "metadata" or with_metadata}
            for m in found[:limit]
        ]
        return {"ok": True, "messages": shown, "has_more": len(found) > limit}

    def _open_view(self, params: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        problems = check_view(view)
        if problems:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": problems},
            }
        view_id = view_id or f"V{next(self._ids):08d}"
        stored = {**view, "id": view_id, "state": {"values": {}}}
        with self._lock:
            self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._open_view(params)

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        return self._open_view(params, view_id)

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = params.get("user_id")
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        answer = self._open_view(params)
        if answer["ok"]:
            with self._lock:
                self.homes[user_id] = answer["view"]
        return answer
