"""The Adaptive Card pieces every Teams message is made of (the Teams SDK's card models): text
that shows a person's words literally, facts, a card's actions as `Action.Execute` buttons, and
the message that carries a card. Version 1.5: the newest that Teams shows on every client."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from microsoft_teams.api import MessageActivityInput
from microsoft_teams.cards import Action as CardElementAction
from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    ExecuteAction,
    OpenUrlAction,
    RichTextBlock,
    ShowCardAction,
    SubmitAction,
    TextRun,
)

from bot.card_actions import Act, CardAction, Emphasis
from bot.i18n import Translator
from bot.results.refs import NetworkRef, PersonRef
from bot.text import shorten
from handlers.teams.markup import CODE_CLOSE, CODE_OPEN, STRONG_CLOSE, STRONG_OPEN, runs, unmarked

CARD_VERSION = "1.5"
# What a card says in one line, where Teams shows no card (a notification, a note over it).
SUMMARY_LENGTH = 1000
TITLE_LENGTH = 150
BUTTON_TEXT_LENGTH = 60

Message = MessageActivityInput


def _plain(value: Any) -> Any:
    return unmarked(value) if isinstance(value, str) else value


def strong(words: str) -> str:
    """A person's words, shown bold."""
    return f"{STRONG_OPEN}{unmarked(words)}{STRONG_CLOSE}"


def code(words: str) -> str:
    """Words shown in a monospace font: a short name, a command."""
    return f"{CODE_OPEN}{unmarked(words)}{CODE_CLOSE}"


def say(t: Translator, key: str, **params: Any) -> str:
    """A catalog message for `text`, its parameters kept as plain text. A message with a form
    per count takes the form of its `count` parameter."""
    params = {name: _plain(value) for name, value in params.items()}
    if t.is_counted(key):
        count = params.pop("count")
        return t.plural(key, int(count), **params)
    return t(key, **params)


def text(
    content: str, *, subtle: bool = False, large: bool = False, strong: bool = False
) -> RichTextBlock:
    """Text as it is shown: no Markdown, no mentions, no HTML; bold and monospace where the
    catalog asks for them."""
    inlines = [
        TextRun(
            text=run.text,
            weight="Bolder" if run.strong or large or strong else None,
            fontType="Monospace" if run.code else None,
            isSubtle=True if subtle else None,
            size="Large" if large else None,
        )
        for run in runs(content)
    ]
    return RichTextBlock(inlines=inlines or [TextRun(text=" ")])


def heading(content: str) -> RichTextBlock:
    return text(content[:TITLE_LENGTH], large=True)


def facts(pairs: Iterable[tuple[str, str]]) -> Container:
    """Label and value pairs, one to a line, shown as typed (a FactSet would read Markdown)."""
    lines = [
        RichTextBlock(
            inlines=[
                TextRun(text=f"{unmarked(label)}: ", weight="Bolder"),
                TextRun(text=unmarked(value) or " "),
            ]
        )
        for label, value in pairs
    ]
    return Container(items=lines)


def name_of(network: NetworkRef, t: Translator) -> str:
    return network.names.in_(t.language) or network.slug


def names_of(t: Translator, people: Iterable[PersonRef]) -> str:
    return t.list(person.display_name for person in people)


# What a button that opens a form carries: Teams opens a dialog only from a submit button
# (task/fetch), here with the form's name and what it is about.
TASK_FETCH = {"msteams": {"type": "task/fetch"}}
FORM = "verkosto_form"
FORM_ACTS = {
    Act.EDIT_EVENT: ("event", "event"),
    Act.ADD_OPTION: ("option", "poll"),
    Act.COMMENT: ("comment", "poll"),
}


def action_data(action: CardAction, on: str = "") -> dict[str, Any]:
    """What an `Action.Execute` carries back: the id it acts on, for a vote the option, and
    which card it was on when that matters."""
    data: dict[str, Any] = {"target": action.target}
    if action.option is not None:
        data["option"] = action.option
    if on:
        data["on"] = on
    return data


def execute(t: Translator, action: CardAction, on: str = "") -> CardElementAction:
    """A card's action as an `Action.Execute` button (or, for one that opens a form, the
    button that opens its dialog); one that asks to be confirmed first opens its question,
    with the button that does it, inside the card."""
    label = unmarked(action.label if action.literal else t(action.label))[:BUTTON_TEXT_LENGTH]
    if action.act in FORM_ACTS:
        form, about = FORM_ACTS[action.act]
        data = {**TASK_FETCH, FORM: form, about: action.target}
        return SubmitAction(title=label, data=data)
    style = {Emphasis.PRIMARY: "positive", Emphasis.DANGER: "destructive"}.get(action.emphasis)
    button = ExecuteAction(
        title=label, verb=action.act.value, data=action_data(action, on), style=style
    )
    if action.confirm is None:
        return button
    confirm = action.confirm
    question = say(t, confirm.text, **dict(confirm.params))
    return ShowCardAction(
        title=label,
        card=AdaptiveCard(
            body=[text(t(confirm.title), strong=True), text(question)], actions=[button]
        ),
    )


def action_elements(
    t: Translator,
    actions: Sequence[CardAction],
    links: Sequence[CardElementAction] = (),
    on: str = "",
) -> list[CardElement]:
    """A row of the card's actions (and links), or nothing."""
    row = [execute(t, action, on) for action in actions] + list(links)
    return [ActionSet(actions=row)] if row else []


def card(
    body: Sequence[CardElement], actions: Sequence[CardElementAction] = (), summary: str = ""
) -> AdaptiveCard:
    """A card; `summary` is what a client that cannot show it shows instead."""
    return AdaptiveCard(
        version=CARD_VERSION,
        body=list(body),
        actions=list(actions) or None,
        fallbackText=one_line(summary) or None,
        msteams={"width": "full"},
    )


def one_line(words: str) -> str:
    """Catalog words for a place that shows one short line of plain text."""
    return shorten(unmarked(words), SUMMARY_LENGTH)


def message(summary: str, *body: CardElement) -> Message:
    """A message that is one card."""
    return MessageActivityInput().add_card(card(body, summary=summary))


def plain(t: Translator, key: str, **params: Any) -> Message:
    """One catalog message as a message."""
    words = say(t, key, **params)
    return message(words, text(words))


def wire(message: Message) -> dict[str, Any]:
    """The activity as Bot Connector takes it."""
    return message.model_dump(by_alias=True, exclude_none=True, mode="json")


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The card a message activity carries, as Teams takes it."""
    content: dict[str, Any] = activity["attachments"][0]["content"]
    return content


def summary_of(message: Message) -> str:
    """What a message says in one line: its card's summary."""
    return str(card_of(wire(message)).get("fallbackText", ""))


def files_message(comment: str, links: Sequence[tuple[str, str]]) -> Message:
    """Files handed as links: what they are, and a button to download each."""
    buttons = [OpenUrlAction(title=name[:BUTTON_TEXT_LENGTH], url=url) for name, url in links]
    return MessageActivityInput().add_card(card([text(comment)], buttons, summary=comment))
