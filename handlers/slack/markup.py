"""Safe mrkdwn: a person's text is escaped before it reaches Slack, and the catalogs' markup
becomes Slack's (`slack_markup`, given to every translator whose words Slack shows).

`say()` is the only way catalog messages become mrkdwn: every string parameter is escaped unless
it is already `Mrkdwn`, so nobody can ping `@channel` through a network name or a description.
"""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import Translator
from bot.text import shorten

_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,30}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


class Mrkdwn(str):
    """Text that is already safe to put into a mrkdwn field."""

    __slots__ = ()


def escape(text: str) -> Mrkdwn:
    """Slack's three control characters as entities; nothing else needs escaping."""
    if isinstance(text, Mrkdwn):
        return text
    return Mrkdwn(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def escape_within(text: str, limit: int) -> Mrkdwn:
    """Escaped text that fits `limit` characters once escaped (an entity is never cut)."""
    escaped = escape(text)
    while len(escaped) > limit:
        # One character escapes to at most five ("&amp;"): never cut more than the excess needs.
        text = shorten(text, len(text) - max((len(escaped) - limit) // 5, 1))
        escaped = escape(text)
    return escaped


def bold(text: str) -> Mrkdwn:
    return Mrkdwn(f"*{escape(text)}*")


def code(text: str) -> Mrkdwn:
    return Mrkdwn(f"`{escape(text).replace('`', 'ˋ')}`")


def channel_link(channel_id: str) -> Mrkdwn:
    """A clickable channel; anything that is not a channel id is shown as plain text."""
    if _CHANNEL_ID.match(channel_id):
        return Mrkdwn(f"<#{channel_id}>")
    return escape(channel_id)


def recipient_link(recipient: str) -> Mrkdwn:
    """A channel or a person, by id, as Slack shows them; anything else as plain text."""
    if _USER_ID.match(recipient):
        return Mrkdwn(f"<@{recipient}>")
    return channel_link(recipient)


def link(url: str) -> Mrkdwn:
    """A clickable web address that cannot carry markup of its own (no label, no mentions)."""
    return Mrkdwn(f"<{escape(url).replace('|', '%7C')}>")


def slack_markup(template: str) -> str:
    """A catalog message in Slack's mrkdwn: **strong** is *strong*; `code` and _emphasis_ are
    the same in both."""
    return template.replace("**", "*")


def _safe(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, Mrkdwn) else escape(str(value))
        for key, value in params.items()
    }


def say(t: Translator, key: str, **params: Any) -> Mrkdwn:
    """A catalog message as mrkdwn, its parameters escaped. A message with a form per count
    takes the form of its `count` parameter."""
    if t.is_counted(key):
        count = params.pop("count")
        return Mrkdwn(t.plural(key, int(count), **_safe(params)))
    return Mrkdwn(t(key, **_safe(params)))


def say_count(t: Translator, key: str, count: int, **params: Any) -> Mrkdwn:
    """A counted catalog message as mrkdwn, its parameters escaped."""
    return Mrkdwn(t.plural(key, count, **_safe(params)))
