"""Sends Slack's requests to the app the way Slack does: real payload shapes, signed.

`Driver` builds slash commands, `block_actions`, `view_submission` and Events API payloads,
signs them with the signing secret, and delivers them in-process to a Bolt `App` (tests, demo)
or over HTTP to a running `verkosto serve` (benchmarks, serve tests).
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from handlers.slack.standin.model import TEAM_DOMAIN, TEAM_ID
from handlers.slack.standin.server import WebApiStandIn

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    headers: dict[str, Any]

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


Transport = Callable[[str, dict[str, str]], Response]


def in_process(app: App) -> Transport:
    def send(body: str, headers: dict[str, str]) -> Response:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        return Response(response.status, response.body, dict(response.headers))

    return send


def over_http(url: str, timeout: float = 10) -> Transport:
    def send(body: str, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, answer.read().decode(), dict(answer.headers))
        except HTTPError as error:
            return Response(error.code, error.read().decode(), dict(error.headers))

    return send


class Driver:
    """Acts as Slack towards the app, for the people of the stand-in's workspace."""

    def __init__(
        self,
        transport: Transport,
        standin: WebApiStandIn,
        signing_secret: str,
        command: str = "/network",
        team_id: str = TEAM_ID,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.transport = transport
        self.standin = standin
        self.verifier = SignatureVerifier(signing_secret)
        self.command_name = command
        self.team_id = team_id
        # A workspace of an Enterprise Grid organisation, where the app may be installed
        # org-wide (`org_wide`).
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self._ids = itertools.count(1)

    # Signing ---------------------------------------------------------------------------------

    def headers(self, body: str, content_type: str, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "content-type": content_type,
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": self.verifier.generate_signature(timestamp=stamp, body=body) or "",
        }

    def send(self, body: str, content_type: str, extra: dict[str, str] | None = None) -> Response:
        return self.transport(body, {**self.headers(body, content_type), **(extra or {})})

    # Payloads --------------------------------------------------------------------------------

    def _user(self, user_id: str) -> dict[str, Any]:
        user = self.standin.users.get(user_id)
        name = user.name if user else user_id
        # Someone of another organisation (Slack Connect) comes with their own team.
        team = user.team_id if user and user.team_id != TEAM_ID else self.team_id
        return {"id": user_id, "username": name, "name": name, "team_id": team}

    def _trigger_id(self) -> str:
        return f"{next(self._ids)}.{int(time.time())}.trigger"

    def _interaction(self, kind: str, user_id: str) -> dict[str, Any]:
        """What every interaction payload carries: who acted, in which team, with what trigger."""
        return {
            "type": kind,
            "team": {
                "id": self.team_id,
                "domain": TEAM_DOMAIN,
                "enterprise_id": self.enterprise_id,
            },
            "enterprise": {"id": self.enterprise_id} if self.enterprise_id else None,
            "is_enterprise_install": self.org_wide,
            "user": self._user(user_id),
            "api_app_id": "A0VERKOSTO",
            "token": "deprecated-verification-token",
            "trigger_id": self._trigger_id(),
        }

    @staticmethod
    def _interaction_body(payload: dict[str, Any]) -> str:
        return urlencode({"payload": json.dumps(payload)})

    def _send_interaction(self, payload: dict[str, Any]) -> Response:
        return self.send(self._interaction_body(payload), FORM)

    def command_body(self, user_id: str, text: str, channel_id: str = "C0GENERAL") -> str:
        return urlencode(
            {
                "token": "deprecated-verification-token",
                "team_id": self.team_id,
                "team_domain": TEAM_DOMAIN,
                "channel_id": channel_id,
                "channel_name": getattr(self.standin.channels.get(channel_id), "name", "general"),
                "user_id": user_id,
                "user_name": self._user(user_id)["name"],
                "command": self.command_name,
                "text": text,
                "api_app_id": "A0VERKOSTO",
                "is_enterprise_install": "true" if self.org_wide else "false",
                **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
                "response_url": self.standin.response_url(user_id, channel_id),
                "trigger_id": self._trigger_id(),
            }
        )

    def command(self, user_id: str, text: str, channel_id: str = "C0GENERAL") -> Response:
        """`/network <text>` typed by `user_id` in `channel_id`."""
        return self.send(self.command_body(user_id, text, channel_id), FORM)

    def click(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        block_id: str = "b",
        channel_id: str | None = "C0GENERAL",
        message: dict[str, Any] | None = None,
    ) -> Response:
        """A button press in a message."""
        body = self.click_body(
            user_id, action_id, value, block_id=block_id, channel_id=channel_id, message=message
        )
        return self.send(body, FORM)

    def click_body(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        block_id: str = "b",
        channel_id: str | None = "C0GENERAL",
        message: dict[str, Any] | None = None,
    ) -> str:
        """The signed form body of a button press (`payload=...`)."""
        ts = f"{time.time():.6f}"
        payload = {
            **self._interaction("block_actions", user_id),
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": True,
            },
            "channel": {"id": channel_id, "name": "general"} if channel_id else None,
            "message": message or {"type": "message", "ts": ts, "text": "", "blocks": []},
            "response_url": self.standin.response_url(user_id, channel_id),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": ts,
                }
            ],
        }
        return self._interaction_body(payload)

    def view_action(
        self, user_id: str, view: dict[str, Any], element: dict[str, Any], choice: str | None = None
    ) -> Response:
        """A press of a button (or a choice in a menu: `choice` is its option's value) in a
        published view, the Home tab or a modal: there is no channel and no response URL."""
        ts = f"{time.time():.6f}"
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": element["action_id"],
            "block_id": element.get("block_id", "b"),
            "action_ts": ts,
        }
        if choice is None:
            action["value"] = element.get("value", "")
        else:
            picked = next(o for o in element["options"] if o["value"] == choice)
            action["selected_option"] = picked
        payload = {
            **self._interaction("block_actions", user_id),
            "container": {"type": "view", "view_id": view.get("id", "")},
            "view": view,
            "actions": [action],
        }
        return self.send(self._interaction_body(payload), FORM)

    def message_shortcut(
        self, user_id: str, callback_id: str, channel_id: str, message: dict[str, Any]
    ) -> Response:
        """A message shortcut chosen from a message's menu (a `message_action` payload)."""
        payload = {
            **self._interaction("message_action", user_id),
            "callback_id": callback_id,
            "action_ts": f"{time.time():.6f}",
            "message_ts": message.get("ts"),
            "channel": {"id": channel_id, "name": "channel"},
            "message": {"type": "message", **message},
            "response_url": self.standin.response_url(user_id, channel_id),
        }
        return self._send_interaction(payload)

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Any]) -> Response:
        """Submit a modal: `values` is Slack's `state.values` ({block_id: {action_id: {...}}})."""
        payload = {
            **self._interaction("view_submission", user_id),
            "view": {
                **view,
                "id": view.get("id", "V0VIEW"),
                "team_id": self.team_id,
                "state": {"values": values},
                "hash": f"{int(time.time())}.hash",
            },
            "response_urls": [],
        }
        return self._send_interaction(payload)

    def event_body(
        self, event: dict[str, Any], event_id: str | None = None, ext_shared: bool = False
    ) -> str:
        """`ext_shared`: it happened in a channel shared with another organisation."""
        return json.dumps(
            {
                **({"is_ext_shared_channel": True} if ext_shared else {}),
                "token": "deprecated-verification-token",
                "team_id": self.team_id,
                "enterprise_id": self.enterprise_id,
                "api_app_id": "A0VERKOSTO",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [
                    {
                        "team_id": None if self.org_wide else self.team_id,
                        "enterprise_id": self.enterprise_id,
                        "user_id": "U0VERKOSTOBOT",
                        "is_bot": True,
                        "is_enterprise_install": self.org_wide,
                    }
                ],
            }
        )

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry: int | None = None,
        ext_shared: bool = False,
    ) -> Response:
        """An Events API delivery; `retry` sets Slack's retry headers on a redelivery."""
        extra = (
            {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
            if retry
            else {}
        )
        return self.send(self.event_body(event, event_id, ext_shared), JSON, extra)

    def app_home_opened(self, user_id: str, **options: Any) -> Response:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user_id,
                "channel": f"D{user_id[1:]}",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            **options,
        )

    def user_change(self, user_id: str, **options: Any) -> Response:
        """Slack tells the app that a person's profile changed, with the whole user object."""
        return self.event({"type": "user_change", "user": self.standin.users[user_id].as_api()})

    def member_joined_channel(self, user_id: str, channel_id: str, **options: Any) -> Response:
        """`user_id` joined the channel; someone of another organisation comes with their own
        team, in a channel shared with it."""
        user_team = self._user(user_id)["team_id"]
        return self.event(
            {
                "type": "member_joined_channel",
                "user": user_id,
                "channel": channel_id,
                "channel_type": "C",
                "team": self.team_id,
                "user_team": user_team,
                "event_ts": f"{time.time():.6f}",
            },
            ext_shared=user_team != self.team_id,
            **options,
        )
