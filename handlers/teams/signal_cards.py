"""Weak signals in Teams: the post in the network's channel with its "seen it too" button, the
listing, the "Save as weak signal" form opened from a message, and the answers to the person
who saved, seconded or exported signals."""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from microsoft_teams.cards import CardElement, Container, OpenUrlAction

from bot.card_actions import second_action
from bot.domain import MembershipStatus
from bot.errors import VerkostoError
from bot.i18n import Translator
from bot.results.memberships import MembershipView
from bot.results.signals import SignalCard, SignalListing, SignalSaved, SignalSeconded
from bot.services.signals import MAX_SIGNAL_LENGTH
from bot.text import shorten
from handlers.teams.cards import (
    Message,
    action_elements,
    message,
    name_of,
    plain,
    say,
    text,
    unmarked,
)
from handlers.teams.dialogs import Errors, Values, choice_field, text_field

POST_TEXT_LENGTH = 2900
LISTED_TEXT_LENGTH = 500
FORM = "signal"
PREFIX = "signal_form"
FIELDS = ("network", "text")
# Where a "seen it too" was pressed: on the post, the answer shows the post anew.
ON_POST = "signal"


def _byline(t: Translator, card: SignalCard) -> str:
    parts = [
        say(t, "signal.by", person=card.author.display_name)
        if card.author
        else say(t, "signal.by_former"),
        t.moment(card.created_at),
        say(t, "signal.seen_too", count=card.seconds),
    ]
    return " · ".join(parts)


def _original(t: Translator, card: SignalCard) -> list[OpenUrlAction]:
    if not card.permalink:
        return []
    return [OpenUrlAction(title=unmarked(t("teams.signal_original")), url=card.permalink)]


def _signal(t: Translator, card: SignalCard, limit: int, on: str = "") -> list[CardElement]:
    return [
        text(f"“{shorten(card.text, limit)}”"),
        text(_byline(t, card), subtle=True),
        *action_elements(t, [second_action(card)], _original(t, card), on=on),
    ]


def signal_message(t: Translator, card: SignalCard, note: str | None = None) -> Message:
    """The post in the network's channel, updated as people say they saw it too; `note` is
    what the person who just pressed sees beneath it."""
    title = say(t, "signal.posted", network=name_of(card.network, t))
    body = [text(title), *_signal(t, card, POST_TEXT_LENGTH, ON_POST)]
    if note:
        body.append(text(note, strong=True))
    return message(title, *body)


def saved_words(t: Translator, saved: SignalSaved) -> str:
    name = name_of(saved.card.network, t)
    if saved.channel_id:
        return say(t, "teams.signal_saved_posted", network=name)
    return say(t, "signal.saved", network=name)


def seconded_words(t: Translator, outcome: SignalSeconded) -> str:
    key = "signal.seconded" if outcome.added else "signal.second_taken_back"
    return say(t, key, count=outcome.card.seconds)


def listing_message(t: Translator, listing: SignalListing) -> Message:
    name = name_of(listing.network, t)
    if not listing.signals:
        return plain(t, "signal.none", network=name, slug=listing.network.slug)
    title = say(t, "signal.listing", network=name, count=listing.total)
    body: list[CardElement] = [text(title)]
    for card in listing.signals:
        body.append(Container(items=_signal(t, card, LISTED_TEXT_LENGTH), separator=True))
    if listing.may_export:
        body.append(text(say(t, "signal.export_hint", slug=listing.network.slug), subtle=True))
    return message(title, *body)


def exported_message(t: Translator, listing: SignalListing, sent: bool) -> Message:
    key = "signal.exported" if sent else "signal.export_failed"
    return plain(t, key, network=name_of(listing.network, t), count=listing.total)


def export_note(t: Translator, listing: SignalListing) -> str:
    return say(t, "signal.export_note", network=name_of(listing.network, t))


# The form -------------------------------------------------------------------------------------


def signal_form(
    t: Translator, mine: Sequence[MembershipView], values: Values, errors: Errors
) -> list[CardElement]:
    """Which of the person's networks, and the signal's text (the message's, to edit)."""
    networks = [m.network for m in mine if m.status is MembershipStatus.ACTIVE]
    if not networks:
        raise VerkostoError("teams.signal_join_first")
    choices = [(name_of(network, t), str(network.id)) for network in networks]
    shown = dict(values)
    if len(choices) == 1 and not shown.get("network"):
        shown["network"] = choices[0][1]
    return [
        *choice_field(t, PREFIX, "network", choices, shown, errors, required=True),
        *text_field(
            t,
            PREFIX,
            "text",
            shown,
            errors,
            limit=MAX_SIGNAL_LENGTH,
            multiline=True,
            required=True,
            hint=f"{PREFIX}.text_hint",
        ),
    ]


class _Text(HTMLParser):
    """A Teams message's HTML as the words it shows: tags gone, paragraphs and breaks as lines."""

    BREAKS = frozenset({"br", "p", "div", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def message_text(payload: Any) -> str:
    """The words of the message a signal is saved from (`messagePayload`)."""
    body = payload.get("body") if isinstance(payload, dict) else None
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, str):
        return ""
    if body.get("contentType") != "html":
        return shorten(content, MAX_SIGNAL_LENGTH)
    parser = _Text()
    parser.feed(content)
    return shorten("".join(parser.parts).strip(), MAX_SIGNAL_LENGTH)
