"""Events in Block Kit: the announcement, answers, reminders and notices, in the reader's words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    PlainTextObject,
)

from bot.card_actions import answer_actions, event_manage_actions, reminder_actions
from bot.domain import Attendance
from bot.i18n import Translator
from bot.results.events import EventAnswer, EventCancelled, EventCard, EventListing
from bot.text import shorten
from handlers.slack.blocks import (
    BUTTON_TEXT_LENGTH,
    ActionId,
    Reply,
    action_button,
    context,
    header,
    name_of,
    plain,
    section,
)
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    escape,
    link,
    say,
    say_count,
)
from handlers.web.calendar import calendar_url

# Slack's reasons for refusing a post that inviting the bot to the channel fixes.
INVITE_REASONS = frozenset({"not_in_channel", "channel_not_found"})
GOING_NAMES_SHOWN = 30
DESCRIPTION_SHOWN = 2000


def _facts(t: Translator, card: EventCard) -> list[str]:
    lines = [say(t, "event.when", when=t.span(card.starts_at, card.ends_at))]
    if card.timezone != t.timezone.key:
        lines[0] += " " + say(t, "event.zone", zone=card.timezone)
    if card.place:
        lines.append(say(t, "event.place", place=card.place))
    if card.link:
        lines.append(say(t, "event.link", link=link(card.link)))
    lines.append(say(t, "event.network", network=name_of(card.network, t)))
    return lines


def _counts(t: Translator, card: EventCard) -> Mrkdwn:
    if card.capacity is not None:
        going = say(t, "event.count.going_of", count=card.going_count, capacity=card.capacity)
    else:
        going = say_count(t, "event.count.going", card.going_count)
    parts = [
        going,
        say_count(t, "event.count.maybe", card.maybe_count),
        say_count(t, "event.count.not_going", card.not_going_count),
    ]
    if card.waitlisted_count:
        parts.append(say_count(t, "event.count.waitlisted", card.waitlisted_count))
    return Mrkdwn(" · ".join(parts))


def _going_names(t: Translator, card: EventCard) -> Mrkdwn | None:
    if not card.going:
        return None
    shown = [escape(person.display_name) for person in card.going[:GOING_NAMES_SHOWN]]
    hidden = card.going_count - len(shown)
    if hidden:
        shown.append(say_count(t, "event.and_more", hidden))
    return say(t, "event.going_names", names=Mrkdwn(t.list(shown)))


def _state_note(t: Translator, card: EventCard) -> Mrkdwn | None:
    if card.cancelled:
        return say(t, "event.cancelled_note")
    if not card.answers_open:
        if card.rsvp_deadline is not None and card.rsvp_deadline < card.starts_at:
            return say(t, "event.answers_closed_on", when=t.moment(card.rsvp_deadline))
        return say(t, "event.started_note")
    if card.rsvp_deadline is not None:
        return say(t, "event.answer_by", when=t.moment(card.rsvp_deadline))
    return None


def _calendar_button(
    t: Translator, card: EventCard, public_url: str | None
) -> ButtonElement | None:
    url = calendar_url(public_url, card.calendar_token, card.id)
    if url is None:
        return None
    return ButtonElement(
        text=PlainTextObject(text=shorten(t("button.calendar"), BUTTON_TEXT_LENGTH)),
        action_id=ActionId.CALENDAR.value,
        value=str(card.id),
        url=url,
    )


def event_buttons(
    t: Translator, card: EventCard, public_url: str | None, manage: bool = True
) -> list[ButtonElement]:
    """Answer while answers are open, add to a calendar, and (`manage`) edit or cancel."""
    buttons = [action_button(t, action) for action in answer_actions(card)]
    if card.cancelled:
        return buttons
    calendar = _calendar_button(t, card, public_url)
    if calendar is not None:
        buttons.append(calendar)
    if manage:
        buttons += [action_button(t, action) for action in event_manage_actions(card)]
    return buttons


def announcement(t: Translator, card: EventCard, public_url: str | None) -> Reply:
    """The channel message: what, when, where, who is coming, and the answer buttons."""
    heading = t("event.cancelled_header", title=card.title) if card.cancelled else card.title
    blocks: list[Block] = [header(heading), section("\n".join(_facts(t, card)))]
    if card.description:
        blocks.append(section(escape(shorten(card.description, DESCRIPTION_SHOWN))))
    notes = [_counts(t, card), _going_names(t, card), _state_note(t, card)]
    blocks.append(context(*[note for note in notes if note]))
    buttons = event_buttons(t, card, public_url)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"event-{card.id}", elements=buttons))
    key = "event.cancelled_title" if card.cancelled else "event.announced"
    text = say(t, key, title=card.title, when=t.span(card.starts_at, card.ends_at))
    return Reply(text=text, blocks=blocks)


def answer_reply(t: Translator, answer: EventAnswer) -> Reply:
    """What the person who answered is told, privately."""
    title = answer.title
    if answer.attendance is None:
        return plain(t, "event.answer.withdrawn", title=title)
    if answer.attendance is Attendance.WAITLISTED:
        return plain(t, "event.answer.waitlisted", title=title, place=answer.waitlist_place)
    return plain(t, f"event.answer.{answer.attendance.value}", title=title)


def _personal(
    t: Translator, key: str, card: EventCard, public_url: str | None, **params: Any
) -> Reply:
    """A direct message about an event: a line of news, then the event's facts."""
    news = say(t, key, title=card.title, **params)
    blocks: list[Block] = [section(news), section("\n".join(_facts(t, card)))]
    calendar = _calendar_button(t, card, public_url)
    if calendar is not None and not card.cancelled:
        blocks.append(ActionsBlock(elements=[calendar]))
    return Reply(text=news, blocks=blocks)


def reminder(t: Translator, card: EventCard, minutes_before: int, public_url: str | None) -> Reply:
    reply = _personal(t, f"event.reminder.{minutes_before}", card, public_url)
    buttons = [action_button(t, action) for action in reminder_actions(card)]
    if buttons:
        reply.blocks.append(ActionsBlock(elements=buttons))
    return reply


def promotion(t: Translator, card: EventCard, public_url: str | None) -> Reply:
    return _personal(t, "event.promoted", card, public_url)


def cancellation(t: Translator, card: EventCard) -> Reply:
    return _personal(
        t, "event.cancelled_notice", card, None, when=t.span(card.starts_at, card.ends_at)
    )


def _before_value(t: Translator, field: str, value: Any) -> str:
    if value is None or value == "":
        return t("event.change.none")
    if field in ("starts_at", "ends_at", "rsvp_deadline"):
        return t.moment(datetime.fromisoformat(str(value)))
    return str(value)


def change_notice(
    t: Translator,
    card: EventCard,
    changed: Sequence[str],
    before: dict[str, Any],
    public_url: str | None,
) -> Reply:
    """Tells someone who answered what changed, with the old and the new."""
    lines = []
    now_values = {
        "title": card.title,
        "place": card.place,
        "link": card.link,
        "capacity": card.capacity,
        "timezone": card.timezone,
        "rsvp_deadline": card.rsvp_deadline.isoformat() if card.rsvp_deadline else None,
        "starts_at": card.starts_at.isoformat(),
        "ends_at": card.ends_at.isoformat(),
    }
    for field in changed:
        if field == "description":
            lines.append(say(t, "event.change.description"))
            continue
        if field not in now_values:
            continue
        lines.append(
            say(
                t,
                f"event.change.{field}",
                old=_before_value(t, field, before.get(field)),
                new=_before_value(t, field, now_values[field]),
            )
        )
    reply = _personal(t, "event.changed", card, public_url)
    if lines:
        reply.blocks.insert(1, section("\n".join(f"• {line}" for line in lines)))
    return reply


def announcement_failed(t: Translator, channel_id: str, reason: str) -> Reply:
    """Told to the person who announced an event that Slack would not post."""
    key = "slack.event_not_posted_invite" if reason in INVITE_REASONS else "event.not_posted"
    return plain(t, key, channel=channel_link(channel_id), reason=reason)


def cancelled_reply(t: Translator, cancelled: EventCancelled) -> Reply:
    return plain(t, "event.cancel_done", title=cancelled.event.title, count=cancelled.notified)


def listing_reply(t: Translator, listing: EventListing, public_url: str | None) -> Reply:
    """Upcoming events, each with its time, network, counts and the reader's own answer, and
    buttons to answer from here (for those not in the channel) and, for its managers, to edit."""
    network = name_of(listing.network, t) if listing.network else None
    if not listing.events:
        if network:
            return plain(t, "events.none_in", network=network)
        return plain(t, "events.none")
    title = say(t, "events.title_in", network=network) if network else say(t, "events.title_mine")
    blocks: list[Block] = [section(title)]
    for card in listing.events:
        blocks += listing_entry(t, listing, card, public_url, with_network=not network)
    return Reply(text=title, blocks=blocks)


def listing_entry(
    t: Translator,
    listing: EventListing,
    card: EventCard,
    public_url: str | None,
    with_network: bool,
) -> list[Block]:
    """One event of a listing: when (and in which network), its counts, the reader's answer,
    and buttons to answer from here and, for its managers, to edit."""
    line = f"• {bold(card.title)} · {escape(t.span(card.starts_at, card.ends_at))}"
    if with_network:
        line += f" · {escape(name_of(card.network, t))}"
    line += f" · {_counts(t, card)}"
    mine = listing.mine.get(card.id)
    if mine is not None:
        line += " · " + say(t, "events.your_answer", answer=t.label(mine))
    blocks: list[Block] = [section(line)]
    buttons = event_buttons(t, card, public_url, manage=card.id in listing.manageable)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"event-{card.id}", elements=buttons))
    return blocks
