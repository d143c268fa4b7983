"""The Block Kit pieces every Slack message is made of: replies, sections, buttons and their
action ids, within Slack's limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.card_actions import CardAction
from bot.i18n import Translator
from bot.results.refs import NetworkRef, PersonRef
from bot.text import shorten
from handlers.slack.markup import (
    Mrkdwn,
    escape,
    escape_within,
    say,
)

LIST_DESCRIPTION_LENGTH = 280


BUTTON_TEXT_LENGTH = 75


HEADER_LENGTH = 150


class ActionId(StrEnum):
    """The action ids of every button the bot sends; listeners are registered by these.
    A button may add `.N` to tell it apart from its siblings in a block (see `button`)."""

    @classmethod
    def of(cls, action_id: str) -> ActionId:
        """The action of a button's action id, with or without its `.N`."""
        base, _, nth = action_id.rpartition(".")
        return cls(base if nth.isascii() and nth.isdigit() and base else action_id)

    JOIN = "network.join"
    LEAVE = "network.leave"
    INFO = "network.info"
    NOT_INTERESTED = "suggestion.not_interested"
    MORE = "directory.more"
    APPROVE = "request.approve"
    DECLINE = "request.decline"
    GOING = "event.going"
    MAYBE = "event.maybe"
    NOT_GOING = "event.not_going"
    EDIT_EVENT = "event.edit"
    CANCEL_EVENT = "event.cancel"
    CALENDAR = "event.calendar"
    VOTE = "poll.vote"
    ADD_OPTION = "poll.add_option"
    NUDGE = "poll.nudge"
    CLOSE_POLL = "poll.close"
    COMMENT = "poll.comment"
    SECOND_SIGNAL = "signal.second"
    DIGEST_OFF = "digest.off"
    FORGET_ME = "privacy.forget"
    HOME_ALL = "home.all"
    HOME_SEARCH = "home.search"
    HOME_EVENT = "home.event"
    HOME_POLL = "home.poll"
    HOME_REPORT = "home.report"
    HOME_LANGUAGE = "home.language"
    HOME_REMINDERS = "home.reminders"
    HOME_DIGEST = "home.digest"


@dataclass(frozen=True)
class Reply:
    """A message: the notification text and the blocks that show it.

    The text is parsed as mrkdwn in notifications, so it must come from `markup`, never raw.
    """

    text: Mrkdwn
    blocks: list[Block] = field(default_factory=list)
    replace_original: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.text, Mrkdwn):
            raise TypeError("a reply's text must be escaped mrkdwn; build it with markup.say()")

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"text": self.text}
        if self.blocks:
            message["blocks"] = [block.to_dict() for block in self.blocks]
        return message


def name_of(network: NetworkRef, t: Translator) -> str:
    return network.names.in_(t.language) or network.slug


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text) for text in texts if text])


def button(
    label: str,
    action: ActionId,
    value: str | int,
    style: str | None = None,
    nth: int | None = None,
) -> ButtonElement:
    """A button; `nth` tells apart several buttons of one action in one block (Slack wants
    action ids unique within a block): `poll.vote.3`."""
    return ButtonElement(
        text=PlainTextObject(text=shorten(label, BUTTON_TEXT_LENGTH), emoji=False),
        action_id=action.value if nth is None else f"{action.value}.{nth}",
        value=str(value),
        style=style,
    )


def header(text: str) -> HeaderBlock:
    """A heading; the text is escaped, since Slack parses plain_text's &, < and > too."""
    return HeaderBlock(text=PlainTextObject(text=escape_within(text, HEADER_LENGTH), emoji=False))


def plain(t: Translator, key: str, note: Mrkdwn | None = None, **params: Any) -> Reply:
    """One catalog message as a reply, with an optional note after it."""
    text = say(t, key, **params)
    if note:
        text = Mrkdwn(f"{text} {note}")
    return Reply(text=text, blocks=[section(text)])


# Help ------------------------------------------------------------------------------------------


def names_of(t: Translator, people: Iterable[PersonRef]) -> str:
    """People's names as a list in `t`'s language, escaped."""
    return t.list(escape(person.display_name) for person in people)


def action_button(t: Translator, action: CardAction, nth: int | None = None) -> ButtonElement:
    """A card's action as a button, with Slack's confirmation dialog when it asks for one. A
    vote's value names the poll and the option (`12:3`), and its option tells it apart from
    its siblings; `nth` does that for other actions repeated in one block."""
    emphasis = action.emphasis.value if action.emphasis else None
    label = action.label if action.literal else t(action.label)
    value: str | int = action.target
    if action.option is not None:
        value, nth = f"{action.target}:{action.option}", action.option
    element = button(label, ActionId(action.act.value), value, style=emphasis, nth=nth)
    confirm = action.confirm
    if confirm is not None:
        element.confirm = ConfirmObject(
            title=PlainTextObject(text=shorten(t(confirm.title), 100)),
            # Escaped like a header: Slack reads &, < and > in plain_text too.
            text=PlainTextObject(text=escape_within(t(confirm.text, **dict(confirm.params)), 300)),
            confirm=PlainTextObject(text=label),
            deny=PlainTextObject(text=t(confirm.keep)),
            style="danger" if confirm.danger else None,
        )
    return element
