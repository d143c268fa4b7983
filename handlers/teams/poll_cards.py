"""Polls in Teams: the poll in its channel with bars and a button per option (updated in
place for everyone as people vote), what the voter alone sees, results, reminders and feedback
requests. Nothing here ever names who voted for what."""

from __future__ import annotations

from datetime import datetime

from microsoft_teams.cards import CardElement, Container

from bot.card_actions import feedback_actions, option_label, poll_manage_actions, vote_actions
from bot.domain import PollKind
from bot.i18n import Translator
from bot.results.polls import Nudged, OptionResult, PollCard, PollOutcome
from handlers.teams.cards import (
    Message,
    action_elements,
    code,
    heading,
    message,
    plain,
    say,
    strong,
    text,
)

BAR_WIDTH = 10
COMMENTS_SHOWN = 10
# Where a vote was pressed, in its data: on the poll, the answer shows the poll anew.
ON_POLL = "poll"


def _bar(votes: int, total: int) -> str:
    filled = round(BAR_WIDTH * votes / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _share(t: Translator, option: OptionResult, card: PollCard) -> str:
    votes = option.votes or 0
    share = round(100 * votes / card.total) if card.total else 0
    return f"{code(_bar(votes, card.total))} " + say(t, "poll.votes", count=votes, share=share)


def _how(t: Translator, card: PollCard, now: datetime) -> str:
    parts = [say(t, "poll.number", id=card.id)]
    if card.kind is PollKind.CHOICE:
        parts.append(
            say(t, "poll.pick_up_to", count=card.max_choices)
            if card.max_choices > 1
            else say(t, "poll.pick_one")
        )
    if card.closed:
        parts.append(say(t, "poll.closed_note"))
    elif card.closes_at is not None:
        left = t.until(card.closes_at - now)
        parts.append(say(t, "poll.closes", when=t.moment(card.closes_at), left=left))
    return " · ".join(parts)


def _hidden_note(t: Translator, card: PollCard) -> str | None:
    if card.hidden_reason == "until_closed":
        return say(t, "poll.hidden_until_closed")
    if card.hidden_reason == "too_few":
        return say(t, "poll.hidden_too_few")
    return None


def _totals(t: Translator, card: PollCard) -> str:
    parts = [say(t, "poll.voters", count=card.total)]
    if card.average is not None:
        parts.append(say(t, "poll.average", average=t.number(round(card.average, 1))))
    return " · ".join(parts)


def _options(t: Translator, card: PollCard, on: str) -> list[CardElement]:
    """Each option with its bar; a choice has its vote button beneath it, a rating a row of
    buttons after them all."""
    votes = {action.option: action for action in vote_actions(card)}
    body: list[CardElement] = []
    for option in card.options:
        items: list[CardElement] = [text(strong(option_label(card, option.label)))]
        if card.results_visible:
            items.append(text(_share(t, option, card), subtle=True))
        vote = votes.get(option.id)
        if card.kind is PollKind.CHOICE and vote is not None:
            items.extend(action_elements(t, [vote], on=on))
        body.append(Container(items=items, separator=True))
    if card.kind is not PollKind.CHOICE and votes:
        body.extend(action_elements(t, list(votes.values()), on=on))
    return body


def poll_message(t: Translator, card: PollCard, now: datetime, note: str | None = None) -> Message:
    """The poll in its channel: the question, the options with their bars and buttons, the
    total, the time left, and what anonymity means here; `note` is what the person who just
    voted sees beneath it (only they see this copy)."""
    body: list[CardElement] = [heading(card.question), text(_how(t, card, now), subtle=True)]
    body += _options(t, card, ON_POLL)
    notes = [_totals(t, card), _hidden_note(t, card)]
    if card.anonymous:
        notes.append(say(t, "poll.anonymous_note"))
    body.extend(text(line, subtle=True) for line in notes if line)
    body.extend(action_elements(t, poll_manage_actions(card), on=ON_POLL))
    if note:
        body.append(text(note, strong=True))
    key = "poll.closed_text" if card.closed else "poll.text"
    return message(say(t, key, question=card.question), *body)


def results_message(
    t: Translator, card: PollCard, now: datetime, title_key: str = "poll.results_title"
) -> Message:
    """The results, for `poll results ID`, for the channel when the poll closes, and for the
    coordinators when an event's feedback closes (`title_key`)."""
    title = say(t, title_key, question=card.question, title=card.event_title or card.question)
    body: list[CardElement] = [text(title)]
    note = _hidden_note(t, card)
    if note:
        body.append(text(note))
    else:
        for option in card.options:
            label = strong(option_label(card, option.label))
            body.append(text(f"{label}  {_share(t, option, card)}"))
    body.append(text(f"{_totals(t, card)} · {_how(t, card, now)}", subtle=True))
    body.extend(text(f"“{comment}”") for comment in card.comments[:COMMENTS_SHOWN])
    return message(title, *body)


def vote_words(t: Translator, outcome: PollOutcome) -> str:
    """The voter's own choices, told to them alone."""
    if not outcome.chosen:
        return say(t, "poll.vote_withdrawn", question=outcome.question)
    words = say(t, "poll.voted", question=outcome.question, choices=t.list(outcome.chosen))
    if outcome.anonymous:
        words += " " + say(t, "poll.vote_anonymous")
    return words


def posted_message(t: Translator, card: PollCard) -> Message:
    return plain(t, "teams.poll_posted", question=card.question, id=card.id)


def nudge_message(t: Translator, card: PollCard) -> Message:
    return plain(t, "poll.nudge", question=card.question, network=card.network.slug)


def nudged_words(t: Translator, nudged: Nudged) -> str:
    return say(t, "poll.nudged", count=nudged.reminded)


def closed_words(t: Translator, outcome: PollOutcome) -> str:
    return say(t, "poll.closed_by_you", question=outcome.question)


def feedback_request(t: Translator, card: PollCard) -> Message:
    """The message after an event: how was it, one to five stars, and a comment."""
    words = say(t, "feedback.ask", title=card.event_title or card.question)
    body: list[CardElement] = [text(words), *action_elements(t, feedback_actions(card))]
    if card.closes_at is not None:
        body.append(text(say(t, "feedback.anonymous", when=t.moment(card.closes_at)), subtle=True))
    return message(words, *body)
