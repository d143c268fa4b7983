"""Weak signals in Block Kit: the channel post with its "+1" button, the listing and the answers
to the person who saved, seconded or exported signals."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement, SectionBlock

from bot.card_actions import second_action
from bot.i18n import Translator
from bot.results.signals import SignalCard, SignalListing, SignalSaved, SignalSeconded
from handlers.slack.blocks import (
    Reply,
    action_button,
    context,
    name_of,
    plain,
    section,
)
from handlers.slack.markup import Mrkdwn, bold, channel_link, escape_within, link, say

# A signal is shown whole in its post; in a listing, its beginning.
POST_TEXT_LENGTH = 2900
LISTED_TEXT_LENGTH = 500


def _quoted(text: str, limit: int) -> Mrkdwn:
    return Mrkdwn("\n".join(f"> {line}" for line in escape_within(text, limit).splitlines()))


def _byline(t: Translator, card: SignalCard) -> Mrkdwn:
    parts = [
        say(t, "signal.by", person=card.author.display_name)
        if card.author
        else say(t, "signal.by_former"),
        t.moment(card.created_at),
    ]
    if card.permalink:
        parts.append(say(t, "signal.original", link=link(card.permalink)))
    parts.append(say(t, "signal.seen_too", count=card.seconds))
    return Mrkdwn(" · ".join(parts))


def _second_button(t: Translator, card: SignalCard, nth: int | None = None) -> ButtonElement:
    return action_button(t, second_action(card), nth)


def signal_message(t: Translator, card: SignalCard) -> Reply:
    """The post in the network's channel, updated as people say they saw it too."""
    title = say(t, "signal.posted", network=name_of(card.network, t))
    blocks: list[Block] = [
        section(title),
        SectionBlock(text=_quoted(card.text, POST_TEXT_LENGTH), accessory=_second_button(t, card)),
        context(_byline(t, card)),
    ]
    return Reply(text=title, blocks=blocks)


def saved_reply(t: Translator, saved: SignalSaved) -> Reply:
    name = name_of(saved.card.network, t)
    if saved.channel_id:
        return plain(t, "signal.saved_posted", network=name, channel=channel_link(saved.channel_id))
    return plain(t, "signal.saved", network=name)


def seconded_reply(t: Translator, outcome: SignalSeconded) -> Reply:
    key = "signal.seconded" if outcome.added else "signal.second_taken_back"
    return plain(t, key, count=outcome.card.seconds)


def listing_reply(t: Translator, listing: SignalListing) -> Reply:
    name = name_of(listing.network, t)
    if not listing.signals:
        return plain(t, "signal.none", network=name, slug=listing.network.slug)
    title = say(t, "signal.listing", network=name, count=listing.total)
    blocks: list[Block] = [section(title)]
    for nth, card in enumerate(listing.signals):
        blocks.append(
            SectionBlock(
                text=_quoted(card.text, LISTED_TEXT_LENGTH),
                accessory=_second_button(t, card, nth),
            )
        )
        blocks.append(context(_byline(t, card)))
    if listing.may_export:
        blocks.append(context(say(t, "signal.export_hint", slug=listing.network.slug)))
    return Reply(text=title, blocks=blocks)


def export_reply(t: Translator, listing: SignalListing, sent: bool) -> Reply:
    key = "signal.exported" if sent else "signal.export_failed"
    return plain(t, key, network=name_of(listing.network, t), count=listing.total)


def export_note(t: Translator, listing: SignalListing) -> Mrkdwn:
    return say(t, "signal.export_note", network=bold(name_of(listing.network, t)))
