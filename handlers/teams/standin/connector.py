"""A loopback HTTP server that answers like Bot Connector and Microsoft Entra, and records every
call: messages sent and updated, chats created, members read, tokens issued.

It keeps a small model of a tenant (people with their ids in the bot's chats, conversations,
messages) so that answers are realistic: a message to a conversation nobody created is 404, an
update of a message that does not exist is 404, a call without the token it issued is 401. It
checks every card as Teams would (`cards.py`) and answers 400 for one Teams would refuse. It
publishes the signing keys of the activities it signs (`keys.py`). It can be told to fail the
next calls of a kind: 429 with `Retry-After`, 5xx, or an answer lost after the work was done.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from handlers.teams.standin.cards import card_of, card_problems, displayed
from handlers.teams.standin.keys import SigningKeys

# The kinds of call, for `fail` and `calls_to`.
SEND = "send"
UPDATE = "update"
CREATE = "create_conversation"
MEMBER = "member"
TOKEN = "token"

TIMEOUT = "timeout"
DROP = "drop"


@dataclass(frozen=True)
class Person:
    """Someone in the tenant: their Entra object id, their id in the bot's chats, their name."""

    aad_id: str
    account_id: str
    name: str
    locale: str = "en-US"
    timezone: str = "Europe/Helsinki"


@dataclass(frozen=True)
class Call:
    seq: int
    kind: str
    conversation: str
    body: dict[str, Any]
    status: int
    activity_id: str | None = None
    token: str | None = None
    received: float = field(default_factory=time.perf_counter)


@dataclass
class Fault:
    times: int
    status: int = 200
    retry_after: int | None = None
    lost: str | None = None


class ConnectorStandIn:
    """Start it, point the app's service address, `TEAMS_KEYS_URL` and `TEAMS_TOKEN_URL` at
    it (`service_url`, `keys_url`, `token_url`), then read `calls` and `messages`."""

    def __init__(self, app_id: str, secret: str | None = "standin-secret") -> None:
        self.app_id = app_id
        self.secret = secret
        self.keys = SigningKeys()
        self.people: dict[str, Person] = {}
        self.conversations: set[str] = set()
        self.calls: list[Call] = []
        # The messages as they stand now, by (conversation, activity id).
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.issued: set[str] = set()
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.RLock()
        self._recorded = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self.hold_seconds = 12.0
        self._server: ThreadingHTTPServer | None = None

    # Running ---------------------------------------------------------------------------------

    def start(self) -> ConnectorStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ConnectorStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/teams/"

    @property
    def keys_url(self) -> str:
        return f"{self.base_url}/keys"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    # The tenant ------------------------------------------------------------------------------

    def add_person(self, aad_id: str, name: str, **extra: Any) -> Person:
        person = Person(aad_id, f"29:{aad_id}", name, **extra)
        self.people[person.account_id] = person
        self.conversations.add(personal_chat(person))
        return person

    def add_conversation(self, conversation_id: str) -> None:
        self.conversations.add(conversation_id)

    def fail(
        self,
        kind: str,
        times: int = 1,
        *,
        status: int = 200,
        retry_after: int | None = None,
        lost: str | None = None,
    ) -> None:
        """The next `times` calls of `kind` answer `status` (with `Retry-After`), or do the
        work and lose the answer (`lost`: TIMEOUT holds it past the client's patience, DROP
        closes the connection)."""
        with self._lock:
            self._faults.setdefault(kind, []).append(Fault(times, status, retry_after, lost))

    def _take_fault(self, kind: str) -> Fault | None:
        with self._lock:
            faults = self._faults.get(kind) or []
            if not faults:
                return None
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.pop(0)
            return fault

    # Reading what happened -------------------------------------------------------------------

    def calls_to(self, kind: str, conversation: str | None = None) -> list[Call]:
        with self._lock:
            return [
                call
                for call in self.calls
                if call.kind == kind and (conversation is None or call.conversation == conversation)
            ]

    def wait_for(
        self, kind: str, conversation: str, after: int, timeout: float = 5.0
    ) -> Call | None:
        """The first call of `kind` to `conversation` after the call numbered `after`, waiting
        up to `timeout` seconds for it (for benchmarks and processes that answer later)."""

        def found() -> Call | None:
            return next(
                (
                    call
                    for call in self.calls
                    if call.seq > after and call.kind == kind and call.conversation == conversation
                ),
                None,
            )

        with self._recorded:
            self._recorded.wait_for(lambda: found() is not None, timeout)
            return found()

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self.calls[-1].seq if self.calls else 0

    def sent_to(self, conversation: str) -> list[dict[str, Any]]:
        """The messages in a conversation as they stand now, oldest first."""
        with self._lock:
            return [body for (where, _), body in self.messages.items() if where == conversation]

    def last_card(self, conversation: str) -> dict[str, Any]:
        sent = self.sent_to(conversation)
        assert sent, f"nothing was sent to {conversation}"
        return card_of(sent[-1])

    def shown(self, conversation: str) -> list[str]:
        """What a person reads in a conversation, message by message."""
        return [displayed(card_of(body)) for body in self.sent_to(conversation)]

    def activity_id_of(self, conversation: str, index: int = -1) -> str:
        with self._lock:
            ids = [ref for (where, ref) in self.messages if where == conversation]
        return ids[index]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self._faults.clear()

    # Serving ---------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes; with Nagle's algorithm the body would wait
            # for the client's delayed ACK (40 ms), which the real platforms never make anyone do.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read what matters from `calls`."""

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PUT(self) -> None:
                self._serve("PUT")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers, lost = standin._answer(
                    method, self.path, raw, self.headers.get("Authorization")
                )
                if lost == DROP:
                    self.close_connection = True
                    return
                if lost == TIMEOUT:
                    time.sleep(standin.hold_seconds)
                content = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler

    def _answer(
        self, method: str, path: str, raw: bytes, authorization: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        if method == "GET" and path == "/keys":
            return 200, self.keys.key_set(), {}, None
        if method == "POST" and path == "/token":
            return self._token(raw)
        parts = [unquote(part) for part in path.split("?")[0].strip("/").split("/")]
        if parts[:2] != ["teams", "v3"] or len(parts) < 3 or parts[2] != "conversations":
            return 404, {"error": {"code": "NotFound"}}, {}, None
        token = (authorization or "").removeprefix("Bearer ") or None
        body = json.loads(raw) if raw else {}
        kind, conversation, activity_id = _route(method, parts[3:])
        if kind is None:
            return 405, {"error": {"code": "MethodNotAllowed"}}, {}, None
        if self.secret is not None and token not in self.issued:
            return self._record(kind, conversation, body, 401, token, None, {})
        fault = self._take_fault(kind)
        if fault is not None and fault.lost is None:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            answer = {"error": {"code": "Throttled" if fault.status == 429 else "ServiceError"}}
            self._record(kind, conversation, body, fault.status, token, None, answer)
            return fault.status, answer, headers, None
        status, answer, ref = self._do(kind, conversation, activity_id, body)
        self._record(kind, conversation, body, status, token, ref, answer)
        return status, answer, {}, fault.lost if fault else None

    def _token(self, raw: bytes) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        fault = self._take_fault(TOKEN)
        if fault is not None:
            return fault.status, {"error": "temporarily_unavailable"}, {}, None
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.secret:
            return 401, {"error": "invalid_client"}, {}, None
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.issued.add(token)
            self.calls.append(Call(self._next(), TOKEN, "", {"scope": form.get("scope")}, 200))
        return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}, {}, None

    def _do(
        self, kind: str, conversation: str, activity_id: str | None, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], str | None]:
        with self._lock:
            if kind == CREATE:
                members = body.get("members") or [{}]
                person = self.people.get(str(members[0].get("id")))
                if person is None or body.get("tenantId") is None:
                    return 403, {"error": {"code": "Forbidden"}}, None
                return 201, {"id": personal_chat(person)}, None
            base = conversation.split(";messageid=")[0]
            if base not in self.conversations:
                return 404, {"error": {"code": "ConversationNotFound"}}, None
            if kind == MEMBER:
                person = self.people.get(activity_id or "")
                if person is None:
                    return 404, {"error": {"code": "MemberNotFound"}}, None
                return (
                    200,
                    {"id": person.account_id, "name": person.name, "aadObjectId": person.aad_id},
                    None,
                )
            problems = card_problems(body)
            if problems:
                return 400, {"error": {"code": "BadArgument", "message": "; ".join(problems)}}, None
            if kind == UPDATE:
                if (base, activity_id) not in self.messages:
                    return 404, {"error": {"code": "ActivityNotFound"}}, None
                self.messages[(base, activity_id or "")] = body
                return 200, {"id": activity_id}, activity_id
            ref = f"1:{self._next()}"
            self.messages[(base, ref)] = body
            return 201, {"id": ref}, ref

    def _record(
        self,
        kind: str,
        conversation: str,
        body: dict[str, Any],
        status: int,
        token: str | None,
        ref: str | None,
        answer: dict[str, Any],
    ) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        with self._lock:
            self.calls.append(Call(self._next(), kind, conversation, body, status, ref, token))
            self._recorded.notify_all()
        return status, answer, {}, None

    def _next(self) -> int:
        return next(self._ids)


def personal_chat(person: Person) -> str:
    """The id of the bot's 1:1 chat with someone (Teams' ids look like this)."""
    return f"a:1{person.aad_id.replace('-', '')}"


def _route(method: str, rest: list[str]) -> tuple[str | None, str, str | None]:
    """The kind of call, its conversation and the activity or member it names."""
    if not rest and method == "POST":
        return CREATE, "", None
    if len(rest) == 2 and rest[1] == "activities" and method == "POST":
        return SEND, rest[0], None
    if len(rest) == 3 and rest[1] == "activities" and method == "PUT":
        return UPDATE, rest[0], rest[2]
    if len(rest) == 3 and rest[1] == "members" and method == "GET":
        return MEMBER, rest[0], rest[2]
    return None, "", None
