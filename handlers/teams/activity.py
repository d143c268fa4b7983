"""An activity from Teams, as the adapter reads it: who sent it, from which tenant and
conversation, where to answer, and what it asks. Teams sends more than this; the rest is not
read. Command text is split into words here (the bot's mention taken out, other people's kept
as mentions)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from bot.commands import PersonMention, Token
from bot.domain import Platform
from bot.use_cases import Caller
from bot.words import Markup, Word, split_words
from handlers.teams.markup import without_controls

PERSONAL = "personal"
_MENTION = re.compile(r"<at>(.*?)</at>", re.DOTALL)
# How people start a command in a chat with the bot; the slash is optional.
COMMAND_WORDS = ("network", "verkosto", "nätverk", "natverk")


def _text(value: Any, limit: int = 512) -> str:
    return str(value)[:limit] if isinstance(value, str | int) else ""


@dataclass(frozen=True)
class Activity:
    """`person_id` is the person's Microsoft Entra object id (stable across the bot's chats),
    `account_id` their id in the bot's conversations; `tenant_id` is the workspace."""

    type: str
    name: str
    id: str
    tenant_id: str
    person_id: str
    account_id: str
    person_name: str
    conversation_id: str
    conversation_type: str
    service_url: str
    bot_id: str
    locale: str | None = None
    timezone: str | None = None
    text: str = ""
    value: Any = None
    reply_to_id: str | None = None
    action: str | None = None
    mentions: tuple[tuple[str, str], ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def read(cls, body: dict[str, Any]) -> Activity:
        """The activity in a request's JSON body; raises `ValueError` when it is not one."""
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise ValueError("not an activity")
        sender = body.get("from") or {}
        conversation = body.get("conversation") or {}
        channel_data = body.get("channelData") or {}
        tenant = (channel_data.get("tenant") or {}).get("id") or conversation.get("tenantId")
        entities = [entity for entity in body.get("entities") or [] if isinstance(entity, dict)]
        client = next((e for e in entities if e.get("type") == "clientInfo"), {})
        mentions = tuple(
            (_text((e.get("mentioned") or {}).get("id")), _text(e.get("text")))
            for e in entities
            if e.get("type") == "mention"
        )
        recipient = body.get("recipient") or {}
        return cls(
            type=body["type"],
            name=_text(body.get("name"), 100),
            id=_text(body.get("id")),
            tenant_id=_text(tenant, 64),
            person_id=_text(sender.get("aadObjectId") or sender.get("id"), 255),
            account_id=_text(sender.get("id"), 255),
            person_name=_text(sender.get("name"), 200),
            conversation_id=_text(conversation.get("id")),
            conversation_type=_text(conversation.get("conversationType")) or PERSONAL,
            service_url=_text(body.get("serviceUrl"), 500),
            bot_id=_text(recipient.get("id"), 255),
            locale=_text(body.get("locale") or client.get("locale"), 20) or None,
            timezone=_text(client.get("timezone"), 64) or None,
            text=without_controls(_text(body.get("text"), 10_000)),
            value=body.get("value"),
            reply_to_id=_text(body.get("replyToId")) or None,
            action=_text(body.get("action"), 40) or None,
            mentions=mentions,
            raw=body,
        )

    @property
    def caller(self) -> Caller:
        # A tenant has no name of its own in an activity (a team's name is not the tenant's).
        return Caller(self.tenant_id, self.person_id, Platform.TEAMS)

    @property
    def personal(self) -> bool:
        """Whether it came from the person's own chat with the bot."""
        return self.conversation_type == PERSONAL

    def command_tokens(self) -> list[Token]:
        """The command's words: the bot's mention and a leading `network` taken out, other
        people's mentions as `PersonMention`s of their ids in the bot's chats."""
        mentioned = {text: person for person, text in self.mentions}
        tokens: list[Token] = []
        for piece in split_words(self.text, _MENTION):
            if isinstance(piece, Markup):
                person = mentioned.get(piece.text, "")
                if person and person != self.bot_id:
                    tokens.append(PersonMention(person))
                continue
            word = html.unescape(piece.text)
            if not piece.quoted:
                word = _dashes(word)
            tokens.append(Word(word, piece.quoted, html.unescape(piece.raw)))
        first = tokens[0] if tokens else None
        if isinstance(first, Word) and not first.quoted and _is_command_word(first.text):
            tokens = tokens[1:]
        return tokens


def _dashes(word: str) -> str:
    """A flag as typed on a phone, whose keyboard makes `--` a dash: `—anonymous`."""
    return "--" + word[1:] if word[:1] in ("—", "–") and len(word) > 1 else word


def _is_command_word(word: str) -> bool:
    return word.lstrip("/").casefold() in COMMAND_WORDS
