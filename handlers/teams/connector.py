"""The Bot Connector REST API, which carries the bot's messages into Teams: a new message, an
update in place, a new chat with one person, a member's profile.

The Teams SDK's own client is asynchronous and has neither a timeout nor an answer to 429, so
Verkosto calls the same endpoints synchronously (it sends from gunicorn's threads and the
worker), with the SDK's models for what it sends. Each call keeps Microsoft's rate limits
(`limits.py`) and sorts Teams' refusals into the outbox's `RetryLater` and `Undeliverable`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from bot.services.outbox import RetryLater, Undeliverable
from handlers.teams.limits import RateLimits

log = logging.getLogger(__name__)

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
TIMEOUT_SECONDS = 10.0
# A token is asked for again this long before it expires.
TOKEN_MARGIN_SECONDS = 300
# A wait for a rate limit this short is waited out here; a longer one goes back to the outbox.
WAIT_HERE_SECONDS = 1.5


class AppTokens:
    """The app's own Bot Framework token (Microsoft Entra client credentials), cached until
    shortly before it expires; with no secret (`TEAMS_ALLOW_UNAUTHENTICATED`), none."""

    def __init__(
        self,
        http: httpx.Client,
        token_address: str,
        app_id: str,
        secret: str | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._address = token_address
        self._app_id = app_id
        self._secret = secret
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0

    def header(self) -> dict[str, str]:
        """The `Authorization` header for a call to Bot Connector."""
        if not self._secret:
            return {}
        with self._lock:
            if self._token is None or self._clock() >= self._expires:
                self._token, lifetime = self._fetch()
                self._expires = self._clock() + max(lifetime - TOKEN_MARGIN_SECONDS, 60)
            return {"Authorization": f"Bearer {self._token}"}

    def _fetch(self) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._app_id,
            "client_secret": self._secret or "",
            "scope": BOT_FRAMEWORK_SCOPE,
        }
        try:
            response = self._http.post(self._address, data=form)
        except httpx.HTTPError as error:
            raise RetryLater(f"token: {type(error).__name__}") from error
        if response.status_code != 200:
            # A refused secret (expired, say) is the operator's to fix; nothing is lost meanwhile.
            log.error("Microsoft Entra refused the app's token: HTTP %s", response.status_code)
            raise RetryLater(f"token: HTTP {response.status_code}")
        try:
            answer = response.json()
            return str(answer["access_token"]), float(answer.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as error:
            raise RetryLater("token: an answer without a token") from error


class BotConnector:
    """Calls to Bot Connector at a conversation's service address."""

    def __init__(
        self,
        tokens: AppTokens,
        http: httpx.Client,
        limits: RateLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._tokens = tokens
        self._http = http
        self._limits = limits or RateLimits()
        self._sleep = sleep

    def send(
        self, service_url: str, tenant: str, conversation: str, activity: dict[str, Any]
    ) -> str:
        """A new message in `conversation`; its activity id."""
        path = f"/v3/conversations/{quote(conversation, safe='')}/activities"
        answer = self._call("POST", service_url, path, activity, tenant, conversation)
        return str(answer.get("id") or "")

    def update(
        self,
        service_url: str,
        tenant: str,
        conversation: str,
        activity_id: str,
        activity: dict[str, Any],
    ) -> None:
        """The message `activity_id` replaced in place."""
        path = (
            f"/v3/conversations/{quote(conversation, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        self._call("PUT", service_url, path, {**activity, "id": activity_id}, tenant, conversation)

    def personal_chat(self, service_url: str, tenant: str, account: str, bot: str) -> str:
        """The id of the bot's 1:1 chat with `account` (Teams gives the same one each time)."""
        body = {
            "isGroup": False,
            "bot": {"id": bot},
            "members": [{"id": account}],
            "tenantId": tenant,
            "channelData": {"tenant": {"id": tenant}},
        }
        answer = self._call("POST", service_url, "/v3/conversations", body, tenant, account)
        if not answer.get("id"):
            raise RetryLater("POST /v3/conversations: no conversation id")
        return str(answer["id"])

    def member(
        self, service_url: str, tenant: str, conversation: str, account: str
    ) -> dict[str, Any]:
        """A member of a conversation, as Teams describes them (name, Entra object id)."""
        path = f"/v3/conversations/{quote(conversation, safe='')}/members/{quote(account, safe='')}"
        return self._call("GET", service_url, path, None, tenant, conversation)

    def _call(
        self,
        method: str,
        service_url: str,
        path: str,
        body: dict[str, Any] | None,
        tenant: str,
        conversation: str,
    ) -> dict[str, Any]:
        self._keep_limits(tenant, conversation)
        url = service_url.rstrip("/") + path
        try:
            response = self._http.request(method, url, json=body, headers=self._tokens.header())
        except httpx.TimeoutException as error:
            raise RetryLater(f"{method} {path}: timed out", maybe_sent=True) from error
        except httpx.HTTPError as error:
            raise RetryLater(f"{method} {path}: {type(error).__name__}", maybe_sent=True) from error
        status = response.status_code
        if status in (200, 201, 202):
            try:
                answer = response.json() if response.content else {}
            except ValueError as error:
                raise RetryLater(f"{method} {path}: an answer that is not JSON") from error
            if not isinstance(answer, dict):
                raise RetryLater(f"{method} {path}: an answer that is not an object")
            return answer
        reason = f"{method} {path}: HTTP {status} {response.text[:200]}"
        if status == 429:
            raise RetryLater(reason, _seconds(response.headers.get("Retry-After")))
        if status >= 500 or status in (401, 412):
            # Bot Connector answers 5xx (and 412 for a message updated twice at once) without
            # having taken the message; a 401 is the app's token, which the operator fixes.
            raise RetryLater(reason, _seconds(response.headers.get("Retry-After")))
        raise Undeliverable(reason)

    def _keep_limits(self, tenant: str, conversation: str) -> None:
        while (wait := self._limits.take(conversation, tenant)) > 0:
            if wait > WAIT_HERE_SECONDS:
                raise RetryLater("rate limit of the conversation", after=wait)
            self._sleep(wait)


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None
