"""A loopback HTTP server that answers like Slack's Web API and records every call.

It keeps a small model of a workspace (people, channels, messages, open views) so that answers
are realistic: posting to a private channel the bot is not in fails with `not_in_channel`,
inviting someone twice answers `already_in_channel`, and so on. It validates blocks like Slack
(`block_rules`), serves `response_url`s, and can be told to fail for the next calls of a method:
429 with `Retry-After`, 5xx, any Slack error code, or an answer lost after the work was done (held
past the client's timeout, or the connection dropped).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.settings import MANIFEST_BOT_SCOPES
from handlers.slack.standin.block_rules import check_message
from handlers.slack.standin.methods import WebApiMethods
from handlers.slack.standin.model import (
    APP_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    TEAM_ID,
    Channel,
    Install,
    User,
)


@dataclass(frozen=True)
class Call:
    """One request the app made: the method (or `response_url`), what it sent, what it got."""

    seq: int
    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int
    user_id: str | None = None
    channel_id: str | None = None
    url_key: str | None = None
    # When it arrived (time.perf_counter), for benchmarks that time answers.
    received: float = field(default_factory=time.perf_counter)
    # The token it was made with (None for a response_url).
    token: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


# How an answer can be lost after Slack did the work.
# How long a rotating token lives (Slack's are 12 hours).
ROTATED_TOKEN_SECONDS = 43_200
TIMEOUT = "timeout"
DROP = "drop"


@dataclass
class Fault:
    times: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    lost: str | None = None


class WebApiStandIn(WebApiMethods):
    """Start it, point the app's `SLACK_API_URL` at `api_url`, then read `calls`."""

    def __init__(self, token: str = BOT_TOKEN) -> None:
        self.token = token
        # Where each token the stand-in accepts works; installs (oauth.v2.access) add more.
        self.installs: dict[str, Install] = {}
        # Codes Slack gives an installing admin's browser, refresh tokens of rotating tokens.
        self._codes: dict[str, tuple[Install, bool]] = {}
        self._refreshing: dict[str, Install] = {}
        # When messages are stamped; tests give it their frozen clock.
        self.clock: Callable[[], float] = time.time
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.calls: list[Call] = []
        self._replies: dict[str, Call] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        # Each person's published Home tab, by user id.
        self.homes: dict[str, dict[str, Any]] = {}
        # Files shared through files.completeUploadExternal, by id.
        self.files: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self.on_channel_join: Callable[[str, str], None] | None = None
        self._faults: dict[str, list[Fault]] = {}
        self._response_urls: dict[str, tuple[str, str | None]] = {}
        self._lock = threading.RLock()
        self._recorded = threading.Condition(self._lock)
        self.forget_installs()
        self._ids = itertools.count(1)
        # How long an answer lost to a timeout is held: longer than the client waits.
        self.hold_seconds = 12.0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Running ---------------------------------------------------------------------------------

    def start(self) -> WebApiStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # The workspace ---------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, real_name: str, **extra: Any) -> User:
        user = User(user_id, name, real_name, **extra)
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: set[str] | None = None,
        bot_member: bool = True,
    ) -> Channel:
        channel = Channel(channel_id, name, is_private=is_private, members=set(members or ()))
        if bot_member:
            channel.members.add(BOT_USER_ID)
        self.channels[channel_id] = channel
        return channel

    def response_url(self, user_id: str, channel_id: str | None) -> str:
        """A fresh `response_url` for an interaction by `user_id` in `channel_id`."""
        key = f"R{next(self._ids):06d}"
        with self._lock:
            self._response_urls[key] = (user_id, channel_id)
        return f"{self.base_url}/respond/{key}"

    # Faults ----------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        lost: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with an HTTP status or a Slack error, or
        do their work and lose the answer (`lost=TIMEOUT`: held for `hold_seconds`; `DROP`: the
        connection closed without one)."""
        if status == 200 and error is None and lost not in (TIMEOUT, DROP):
            raise ValueError("give an HTTP status, a Slack error or how the answer is lost")
        with self._lock:
            self._faults.setdefault(method, []).append(
                Fault(times, status, error, retry_after, lost)
            )

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            faults = self._faults.get(method) or []
            if not faults:
                return None
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.pop(0)
            return fault

    # Reading what happened -------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def since(self, seq: int) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.seq > seq]

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self.calls[-1].seq if self.calls else 0

    def wait_for(self, method: str, after: int = 0, timeout: float = 5.0) -> Call | None:
        """The first call of `method` recorded after sequence number `after`, waiting for it to
        arrive (from another process, say) for up to `timeout` seconds."""

        def found() -> Call | None:
            return next((c for c in self.calls if c.seq > after and c.method == method), None)

        with self._recorded:
            self._recorded.wait_for(found, timeout=timeout)
            return found()

    def wait_for_reply(self, response_url: str, timeout: float = 5.0) -> Call | None:
        """The answer posted to one `response_url`, waiting for it for up to `timeout` seconds."""
        key = response_url.rsplit("/", 1)[-1]
        with self._recorded:
            self._recorded.wait_for(lambda: key in self._replies, timeout=timeout)
            return self._replies.get(key)

    def forget_installs(self) -> None:
        """Back to the one workspace its own token works in."""
        with self._lock:
            self.installs = {self.token: Install(TEAM_ID, "Verkosto demo")}
            self._codes.clear()
            self._refreshing.clear()

    def reset(self) -> None:
        """Forget the calls, the faults and the messages, as a fresh workspace would."""
        with self._lock:
            self.calls.clear()
            self._replies.clear()
            self._faults.clear()
            self.messages.clear()
            self.views.clear()
            self.homes.clear()
            self.files.clear()
            self._uploads.clear()

    def displayed_texts(self, calls: list[Call] | None = None) -> Iterator[str]:
        """Every text Slack would parse and show: messages' text, text objects, field errors.

        Input values and button values are data, not text, and are left out.
        """
        for call in self.calls if calls is None else calls:
            if isinstance(call.params.get("text"), str):
                yield call.params["text"]
            yield from _text_objects(call.params)

    # HTTP ------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes; with Nagle's algorithm the body would wait
            # for the client's delayed ACK (40 ms), which the real platforms never make anyone do.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if url.path.startswith("/upload/"):
                    status, body, headers = standin._upload(url.path.removeprefix("/upload/"), raw)
                    self._send(status, body, headers)
                    return
                params = _params(url.query, raw, self.headers.get("Content-Type", ""))
                if url.path.startswith("/api/"):
                    method = url.path.removeprefix("/api/")
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                    status, body, headers, lost = standin._api(
                        method, token or params.get("token"), params
                    )
                    if lost == TIMEOUT:
                        threading.Event().wait(standin.hold_seconds)
                    if lost is not None:
                        # The work is done; the answer never arrives.
                        self.close_connection = True
                        return
                elif url.path.startswith("/respond/"):
                    status, body, headers = standin._respond(
                        url.path.removeprefix("/respond/"), params
                    )
                else:
                    status, body, headers = 404, {"ok": False, "error": "not_found"}, {}
                self._send(status, body, headers)

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        response: dict[str, Any],
        user_id: str | None = None,
        channel_id: str | None = None,
        url_key: str | None = None,
        token: str | None = None,
    ) -> None:
        with self._recorded:
            call = Call(
                next(self._ids),
                method,
                params,
                response,
                status,
                user_id,
                channel_id,
                url_key,
                token=token,
            )
            self.calls.append(call)
            if url_key is not None:
                self._replies[url_key] = call
            self._recorded.notify_all()

    def _api(
        self, method: str, token: Any, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        """Slack's status, body and headers, and how the answer is lost if it is."""
        fault = self._take_fault(method)
        if fault is not None and fault.lost is None:
            headers = (
                {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            )
            default = "ratelimited" if fault.status == 429 else "fault_injected"
            body = {"ok": False, "error": fault.error or default}
            self._record(method, params, fault.status, body, token=token)
            return fault.status, body, headers, None
        if method == "oauth.v2.access":
            body = self._oauth_v2_access(params, token)
        elif token not in self.installs:
            body = {"ok": False, "error": "invalid_auth"}
        else:
            handler = self._methods().get(method)
            body = handler(params) if handler else {"ok": False, "error": "unknown_method"}
            if method == "auth.test" and body.get("ok"):
                body = {**body, **self._install_of(self.installs[token])}
        lost = fault.lost if fault is not None else None
        self._record(method, params, 0 if lost else 200, body, token=token)
        return 200, body, {}, lost

    # Installs (OAuth v2) ---------------------------------------------------------------------

    def grant(self, install: Install, rotating: bool = False) -> str:
        """Slack's answer to an admin who approved the install: the code the app exchanges."""
        code = f"code-{next(self._ids)}-{secrets.token_hex(4)}"
        self._codes[code] = (install, rotating)
        return code

    def revoke(self, install: Install) -> None:
        """The workspace (or organisation) removed the app: its tokens stop working."""
        for token, where in list(self.installs.items()):
            if where == install:
                del self.installs[token]

    def expire(self, token: str) -> None:
        """A rotating token reached its end."""
        self.installs.pop(token, None)

    def _oauth_v2_access(self, params: dict[str, Any], credentials: Any) -> dict[str, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if credentials != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        if params.get("grant_type") == "refresh_token":
            install = self._refreshing.pop(params.get("refresh_token", ""), None)
            if install is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            rotating = True
        else:
            found = self._codes.pop(params.get("code", ""), None)
            if found is None:
                return {"ok": False, "error": "invalid_code"}
            install, rotating = found
        token = f"xoxb-{install.team_id or install.enterprise_id}-{secrets.token_hex(6)}"
        self.installs[token] = install
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": "U0INSTALLER"},
            "scope": ",".join(MANIFEST_BOT_SCOPES),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": install.team_id, "name": install.team_name}
            if install.team_id and not install.is_enterprise_install
            else None,
            "enterprise": {"id": install.enterprise_id, "name": install.enterprise_name}
            if install.enterprise_id
            else None,
            "is_enterprise_install": install.is_enterprise_install,
        }
        if rotating:
            refresh = f"xoxe-{secrets.token_hex(6)}"
            self._refreshing[refresh] = install
            answer.update(refresh_token=refresh, expires_in=ROTATED_TOKEN_SECONDS)
        return answer

    @staticmethod
    def _install_of(install: Install) -> dict[str, Any]:
        """What auth.test says of where a token works."""
        return {
            "team_id": install.team_id,
            "team": install.team_name,
            "enterprise_id": install.enterprise_id,
            "is_enterprise_install": install.is_enterprise_install,
        }

    def _respond(
        self, key: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self._take_fault("response_url")
        with self._lock:
            owner = self._response_urls.get(key)
        if fault is not None:
            self._record("response_url", params, fault.status, {"ok": False})
            return fault.status, {"ok": False}, {}
        if owner is None:
            self._record("response_url", params, 404, {"ok": False, "error": "expired_url"})
            return 404, {"ok": False, "error": "expired_url"}, {}
        problems = check_message(params)
        body = {"ok": not problems}
        if problems:
            body.update(error="invalid_blocks", errors=problems)
        user_id, channel_id = owner
        self._record(
            "response_url", params, 200 if not problems else 400, body, user_id, channel_id, key
        )
        return (200 if not problems else 400), body, {}


def _params(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if not raw:
        return params
    text = raw.decode("utf-8")
    if "json" in content_type:
        params.update(json.loads(text))
    else:
        params.update({k: v[-1] for k, v in parse_qs(text).items()})
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


def _text_objects(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("type") in ("plain_text", "mrkdwn") and isinstance(value.get("text"), str):
            yield value["text"]
        for item in value.values():
            yield from _text_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _text_objects(item)
