"""Events in Teams: the announcement in the network's channel (updated in place for everyone
as people answer), what the person who answered sees, reminders, promotions from the
waitlist, changes and cancellations, and the listing of upcoming events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from microsoft_teams.cards import CardElement, Container, OpenUrlAction

from bot.card_actions import CardAction, answer_actions, event_manage_actions, reminder_actions
from bot.domain import Attendance
from bot.i18n import Translator
from bot.results.events import EventAnswer, EventCancelled, EventCard, EventListing
from bot.text import shorten
from handlers.teams.cards import (
    Message,
    action_elements,
    heading,
    message,
    name_of,
    plain,
    say,
    strong,
    text,
    unmarked,
)
from handlers.web.calendar import calendar_url

GOING_NAMES_SHOWN = 30
DESCRIPTION_SHOWN = 2000
# Where a button was pressed, in its data: on the announcement, the answer shows it anew.
ON_ANNOUNCEMENT = "announcement"


def _facts(t: Translator, card: EventCard) -> list[str]:
    lines = [say(t, "event.when", when=t.span(card.starts_at, card.ends_at))]
    if card.timezone != t.timezone.key:
        lines[0] += " " + say(t, "event.zone", zone=card.timezone)
    if card.place:
        lines.append(say(t, "event.place", place=card.place))
    if card.link:
        lines.append(say(t, "event.link", link=card.link))
    lines.append(say(t, "event.network", network=name_of(card.network, t)))
    return lines


def _counts(t: Translator, card: EventCard) -> str:
    if card.capacity is not None:
        going = say(t, "event.count.going_of", count=card.going_count, capacity=card.capacity)
    else:
        going = say(t, "event.count.going", count=card.going_count)
    parts = [
        going,
        say(t, "event.count.maybe", count=card.maybe_count),
        say(t, "event.count.not_going", count=card.not_going_count),
    ]
    if card.waitlisted_count:
        parts.append(say(t, "event.count.waitlisted", count=card.waitlisted_count))
    return " · ".join(parts)


def _going_names(t: Translator, card: EventCard) -> str | None:
    if not card.going:
        return None
    shown = [person.display_name for person in card.going[:GOING_NAMES_SHOWN]]
    hidden = card.going_count - len(shown)
    if hidden:
        shown.append(say(t, "event.and_more", count=hidden))
    return say(t, "event.going_names", names=t.list(shown))


def _state_note(t: Translator, card: EventCard) -> str | None:
    if card.cancelled:
        return say(t, "event.cancelled_note")
    if not card.answers_open:
        if card.rsvp_deadline is not None and card.rsvp_deadline < card.starts_at:
            return say(t, "event.answers_closed_on", when=t.moment(card.rsvp_deadline))
        return say(t, "event.started_note")
    if card.rsvp_deadline is not None:
        return say(t, "event.answer_by", when=t.moment(card.rsvp_deadline))
    return None


def _calendar(t: Translator, card: EventCard, public_url: str | None) -> list[OpenUrlAction]:
    url = calendar_url(public_url, card.calendar_token, card.id)
    if url is None or card.cancelled:
        return []
    return [OpenUrlAction(title=unmarked(t("button.calendar")), url=url)]


def event_actions(
    t: Translator, card: EventCard, public_url: str | None, manage: bool = True, on: str = ""
) -> list[CardElement]:
    """Answer while answers are open, add to a calendar, and (`manage`) edit or cancel."""
    acts: list[CardAction] = list(answer_actions(card))
    if manage and not card.cancelled:
        acts += event_manage_actions(card)
    return action_elements(t, acts, _calendar(t, card, public_url), on=on)


def announcement(
    t: Translator, card: EventCard, public_url: str | None, note: str | None = None
) -> Message:
    """The channel message: what, when, where, who is coming, and the answer buttons; `note`
    is what the person who just answered sees beneath it (only they see this copy)."""
    title = t("event.cancelled_header", title=card.title) if card.cancelled else card.title
    body: list[CardElement] = [heading(title), *(text(line) for line in _facts(t, card))]
    if card.description:
        body.append(text(shorten(card.description, DESCRIPTION_SHOWN)))
    notes = [_counts(t, card), _going_names(t, card), _state_note(t, card)]
    body.extend(text(line, subtle=True) for line in notes if line)
    body.extend(event_actions(t, card, public_url, on=ON_ANNOUNCEMENT))
    if note:
        body.append(text(note, strong=True))
    key = "event.cancelled_title" if card.cancelled else "event.announced"
    return message(say(t, key, title=card.title, when=t.span(card.starts_at, card.ends_at)), *body)


def answer_words(t: Translator, answer: EventAnswer) -> str:
    """What the person who answered is told."""
    title = answer.title
    if answer.attendance is None:
        return say(t, "event.answer.withdrawn", title=title)
    if answer.attendance is Attendance.WAITLISTED:
        return say(t, "event.answer.waitlisted", title=title, place=answer.waitlist_place)
    return say(t, f"event.answer.{answer.attendance.value}", title=title)


def _personal(
    t: Translator,
    key: str,
    card: EventCard,
    public_url: str | None,
    actions: Sequence[CardAction] = (),
    **params: Any,
) -> Message:
    """A message to one person about an event: a line of news, then the event's facts."""
    news = say(t, key, title=card.title, **params)
    body: list[CardElement] = [text(news), *(text(line) for line in _facts(t, card))]
    body.extend(action_elements(t, actions, _calendar(t, card, public_url)))
    return message(news, *body)


def reminder(
    t: Translator, card: EventCard, minutes_before: int, public_url: str | None
) -> Message:
    key = f"event.reminder.{minutes_before}"
    return _personal(t, key, card, public_url, reminder_actions(card))


def promotion(t: Translator, card: EventCard, public_url: str | None) -> Message:
    return _personal(t, "event.promoted", card, public_url)


def cancellation(t: Translator, card: EventCard) -> Message:
    when = t.span(card.starts_at, card.ends_at)
    return _personal(t, "event.cancelled_notice", card, None, when=when)


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
) -> Message:
    """Tells someone who answered what changed, with the old and the new."""
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
    lines = []
    for field in changed:
        if field == "description":
            lines.append(say(t, "event.change.description"))
        elif field in now_values:
            old = _before_value(t, field, before.get(field))
            new = _before_value(t, field, now_values[field])
            lines.append(say(t, f"event.change.{field}", old=old, new=new))
    news = say(t, "event.changed", title=card.title)
    body: list[CardElement] = [text(news), *(text(f"• {line}") for line in lines)]
    body.extend(text(line) for line in _facts(t, card))
    body.extend(action_elements(t, (), _calendar(t, card, public_url)))
    return message(news, *body)


def cancelled_words(t: Translator, cancelled: EventCancelled) -> str:
    return say(t, "event.cancel_done", title=cancelled.event.title, count=cancelled.notified)


def listing_message(t: Translator, listing: EventListing, public_url: str | None) -> Message:
    """Upcoming events, each with its time, network, counts and the reader's own answer, and
    buttons to answer from here and, for its managers, to edit."""
    network = name_of(listing.network, t) if listing.network else None
    if not listing.events:
        if network:
            return plain(t, "events.none_in", network=network)
        return plain(t, "events.none")
    title = say(t, "events.title_in", network=network) if network else say(t, "events.title_mine")
    body: list[CardElement] = [text(title)]
    for card in listing.events:
        line = f"{strong(card.title)} · {t.span(card.starts_at, card.ends_at)}"
        if not network:
            line += f" · {name_of(card.network, t)}"
        line += f" · {_counts(t, card)}"
        mine = listing.mine.get(card.id)
        if mine is not None:
            line += " · " + say(t, "events.your_answer", answer=t.label(mine))
        manage = card.id in listing.manageable
        items = [text(line), *event_actions(t, card, public_url, manage=manage)]
        body.append(Container(items=items, separator=True, spacing="Medium"))
    return message(title, *body)
