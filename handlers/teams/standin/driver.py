"""Sends Teams' activities to the app the way Bot Connector does: real activity shapes, each
with a token the stand-in signs (or none, for an app that allows that).

`TeamsDriver` builds messages typed in the bot's chat or in a channel with the bot mentioned,
presses of `Action.Execute` buttons found on the cards the stand-in recorded, and installations;
it delivers them in-process to the WSGI route (tests) or over HTTP to `verkosto serve`.
"""

from __future__ import annotations

import io
import itertools
import json
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError

from handlers.teams.standin.cards import (
    actions,
    card_of,
    containers,
    displayed,
    invoke_answer_problems,
)
from handlers.teams.standin.connector import ConnectorStandIn, Person, personal_chat

BOT_NAME = "Verkosto"
MESSAGES_PATH = "/api/messages"


@dataclass(frozen=True)
class Response:
    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


Transport = Callable[[bytes, dict[str, str]], Response]
Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def in_process(app: Wsgi) -> Transport:
    """Deliver to a WSGI application in this process."""

    def send(body: bytes, headers: dict[str, str]) -> Response:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": MESSAGES_PATH,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "wsgi.input": io.BytesIO(body),
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        }
        answered: list[str] = []
        chunks = app(environ, lambda status, headers, *rest: answered.append(status))
        content = b"".join(chunks)
        return Response(int(answered[0].split()[0]), content.decode())

    return send


def over_http(url: str, timeout: float = 15) -> Transport:
    """Deliver to `verkosto serve` at `url` (its `/api/messages`)."""

    def send(body: bytes, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, answer.read().decode())
        except HTTPError as error:
            return Response(error.code, error.read().decode())

    return send


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    if isinstance(node, list):
        return [n for item in node for n in _nodes(item)]
    return []


# The team the stand-in's channels belong to: its id is its General channel's.
TEAM_ID = "19:team@thread.tacv2"


class TeamsDriver:
    """Acts as people in one tenant; `signed` False sends no token (for an app that allows it)."""

    def __init__(
        self,
        standin: ConnectorStandIn,
        transport: Transport,
        tenant_id: str,
        *,
        signed: bool = True,
        team_name: str = "Valtioneuvosto",
        check_answers: bool = True,
    ) -> None:
        self.standin = standin
        self.transport = transport
        self.tenant_id = tenant_id
        self.signed = signed
        # Check the cards in invoke answers as Teams would (a benchmark times without it).
        self.check_answers = check_answers
        self.team_name = team_name
        self._ids = itertools.count(1)

    @property
    def bot(self) -> dict[str, str]:
        return {"id": f"28:{self.standin.app_id}", "name": BOT_NAME}

    def chat_of(self, person: Person) -> str:
        """The person's chat with the bot."""
        return personal_chat(person)

    def _base(self, person: Person, conversation: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"f:{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.standin.service_url,
            "timestamp": datetime.now(UTC).isoformat(),
            "locale": person.locale,
            "from": {"id": person.account_id, "name": person.name, "aadObjectId": person.aad_id},
            "recipient": self.bot,
            "conversation": {**conversation, "tenantId": self.tenant_id},
            "channelData": {"tenant": {"id": self.tenant_id}},
            "entities": [
                {"type": "clientInfo", "locale": person.locale, "timezone": person.timezone}
            ],
        }

    def _personal(self, person: Person) -> dict[str, Any]:
        return {"id": self.chat_of(person), "conversationType": "personal"}

    def _channel(self, channel: str) -> dict[str, Any]:
        return {"id": channel, "conversationType": "channel", "isGroup": True}

    def message(self, person: Person, text: str, channel: str | None = None) -> Response:
        """`text` typed to the bot in the person's chat, or in `channel` after mentioning it."""
        if channel is None:
            activity = {**self._base(person, self._personal(person)), "type": "message"}
            activity["text"] = text
            return self.send(activity)
        return self.send(self._channel_message(person, text, channel))

    def _channel_message(self, person: Person, text: str, channel: str) -> dict[str, Any]:
        mention = f"<at>{BOT_NAME}</at>"
        activity = {**self._base(person, self._channel(channel)), "type": "message"}
        activity["text"] = f"{mention} {text}"
        activity["entities"] = [
            *activity["entities"],
            {"type": "mention", "mentioned": self.bot, "text": mention},
        ]
        activity["channelData"] = {
            **activity["channelData"],
            "team": {"id": TEAM_ID, "name": self.team_name},
            "channel": {"id": channel},
        }
        return activity

    def message_with_mention(
        self, person: Person, text: str, mentioned: Person, channel: str
    ) -> Response:
        """`text` typed in `channel` after mentioning the bot, naming `mentioned` in it
        (`<at>Their Name</at>`) as Teams does, with a mention entity of their id in the bot's
        chats."""
        mention = f"<at>{mentioned.name}</at>"
        assert mention in text, "the text names the person"
        activity = self._channel_message(person, text, channel)
        activity["entities"].append(
            {
                "type": "mention",
                "mentioned": {"id": mentioned.account_id, "name": mentioned.name},
                "text": mention,
            }
        )
        return self.send(activity)

    def press(
        self,
        person: Person,
        conversation: str,
        title: str,
        *,
        within: str | None = None,
        message: int = -1,
    ) -> Response:
        """Press the button titled `title` on the card of a message in `conversation` (the
        last one unless `message` says which), in the part of the card that says `within`, as
        Teams' `adaptiveCard/action` invoke."""
        ref = self.standin.activity_id_of(conversation, message)
        card = card_of(self.standin.messages[(conversation, ref)])
        parts = (
            [part for part in containers(card) if within in displayed(part)] if within else [card]
        )
        found = [a for part in parts for a in actions(part) if a.get("title") == title]
        titles = [a.get("title") for a in actions(card)]
        assert found, f"no button {title!r} on the card: {titles}"
        action = found[0]
        if action.get("type") == "Action.ShowCard":
            action = actions(action["card"])[0]
        value = {
            "action": {
                "type": "Action.Execute",
                "verb": action.get("verb"),
                "data": action.get("data") or {},
            },
            "trigger": "manual",
        }
        return self.invoke(person, conversation, "adaptiveCard/action", value, ref)

    def open_dialog(
        self, person: Person, conversation: str, title: str, *, message: int = -1
    ) -> Response:
        """Press a button that opens a dialog (`task/fetch`); the answer holds the dialog."""
        ref = self.standin.activity_id_of(conversation, message)
        card = card_of(self.standin.messages[(conversation, ref)])
        found = [a for a in actions(card) if a.get("title") == title]
        assert found, f"no button {title!r} on the card: {[a.get('title') for a in actions(card)]}"
        data = found[0].get("data") or {}
        assert (data.get("msteams") or {}).get("type") == "task/fetch", "it opens no dialog"
        return self.invoke(person, conversation, "task/fetch", {"data": data}, ref)

    def submit_dialog(
        self,
        person: Person,
        conversation: str,
        shown: dict[str, Any],
        invoke: str = "task/submit",
        **filled: str,
    ) -> Response:
        """Fill in the dialog `shown` (a task/fetch or task/submit answer) as a person does,
        leaving what they do not touch as it was, and press its button (`task/submit`)."""
        form = shown["task"]["value"]["card"]["content"]
        inputs = {
            node["id"]: node.get("value", "")
            for node in _nodes(form)
            if str(node.get("type", "")).startswith("Input.")
        }
        unknown = set(filled) - set(inputs)
        assert not unknown, f"the form has no field {unknown}: {sorted(inputs)}"
        button = actions(form)[-1]
        data = {**button.get("data", {}), **{k: str(v) for k, v in inputs.items()}, **filled}
        value = {"data": data}
        if invoke != "task/submit":
            value["commandId"] = "signal.save"
        return self.invoke(person, conversation, invoke, value, None)

    def invoke(
        self,
        person: Person,
        conversation: str,
        name: str,
        value: dict[str, Any],
        reply_to: str | None,
    ) -> Response:
        where = (
            self._personal(person)
            if conversation == self.chat_of(person)
            else self._channel(conversation)
        )
        activity = {**self._base(person, where), "type": "invoke", "name": name, "value": value}
        if reply_to:
            activity["replyToId"] = reply_to
        answer = self.send(activity)
        if self.check_answers and answer.status == 200 and answer.body:
            problems = invoke_answer_problems(answer.json())
            assert not problems, f"Teams would not show the answer to {name}: {problems}"
        return answer

    def message_action(
        self, person: Person, conversation: str, html: str, command: str = "signal.save"
    ) -> Response:
        """Choose the app's message action on a message in `conversation` whose body is
        `html` (`composeExtension/fetchTask`); the answer holds the dialog."""
        message_id = f"{next(self._ids)}"
        value = {
            "commandId": command,
            "commandContext": "message",
            "messagePayload": {
                "id": message_id,
                "body": {"contentType": "html", "content": html},
                "linkToMessage": f"https://teams.microsoft.com/l/message/{conversation}/{message_id}",
            },
        }
        return self.invoke(person, conversation, "composeExtension/fetchTask", value, None)

    def submit_action(
        self, person: Person, conversation: str, shown: dict[str, Any], **filled: str
    ) -> Response:
        """Fill in and send the message action's dialog (`composeExtension/submitAction`)."""
        return self.submit_dialog(
            person, conversation, shown, invoke="composeExtension/submitAction", **filled
        )

    def install(self, person: Person, channel: str | None = None) -> Response:
        """The person adds the app to their own chat, or to the team of `channel`."""
        where = self._personal(person) if channel is None else self._channel(channel)
        activity = {**self._base(person, where), "type": "installationUpdate", "action": "add"}
        return self.send(activity)

    def channel_event(self, person: Person, event_type: str, channel: str) -> Response:
        """Teams tells the bot in a team that `person` did something to one of its channels
        (`channelDeleted`, `channelRestored`, ...), in the team's General channel."""
        activity = {**self._base(person, self._channel(TEAM_ID)), "type": "conversationUpdate"}
        activity["channelData"] = {
            **activity["channelData"],
            "eventType": event_type,
            "channel": {"id": channel, "name": "verkosto"},
            "team": {"id": TEAM_ID, "name": self.team_name},
        }
        return self.send(activity)

    def send(self, activity: dict[str, Any], token: str | None = None) -> Response:
        """Deliver an activity, with a token signed for it unless told otherwise."""
        headers = {"Content-Type": "application/json"}
        if token is None and self.signed:
            token = self.standin.keys.token(self.standin.app_id, self.standin.service_url)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.transport(json.dumps(activity).encode(), headers)
