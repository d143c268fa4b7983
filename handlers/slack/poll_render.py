"""Polls in Block Kit: the poll message with bars, votes told to the voter only, results,
reminders and feedback requests. Nothing here ever names who voted for what."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
)

from bot.card_actions import (
    feedback_actions,
    option_label,
    poll_manage_actions,
    vote_actions,
)
from bot.domain import PollKind
from bot.i18n import Translator
from bot.results.polls import Nudged, OptionResult, PollCard, PollOutcome
from handlers.slack.blocks import (
    Reply,
    action_button,
    context,
    header,
    plain,
    section,
)
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    escape,
    say,
    say_count,
)

BAR_WIDTH = 10


def _bar(votes: int, total: int) -> str:
    filled = round(BAR_WIDTH * votes / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _share(t: Translator, option: OptionResult, card: PollCard) -> Mrkdwn:
    """An option's votes as a bar, a count and a share of the voters."""
    votes = option.votes or 0
    share = round(100 * votes / card.total) if card.total else 0
    return Mrkdwn(f"`{_bar(votes, card.total)}` " + say_count(t, "poll.votes", votes, share=share))


def _how(t: Translator, card: PollCard, now: datetime) -> Mrkdwn:
    parts = [say(t, "poll.number", id=card.id)]
    if card.kind is PollKind.CHOICE:
        parts.append(
            say_count(t, "poll.pick_up_to", card.max_choices)
            if card.max_choices > 1
            else say(t, "poll.pick_one")
        )
    if card.closed:
        parts.append(say(t, "poll.closed_note"))
    elif card.closes_at is not None:
        parts.append(
            say(t, "poll.closes", when=t.moment(card.closes_at), left=t.until(card.closes_at - now))
        )
    return Mrkdwn(" · ".join(parts))


def _hidden_note(t: Translator, card: PollCard) -> Mrkdwn | None:
    if card.hidden_reason == "until_closed":
        return say(t, "poll.hidden_until_closed")
    if card.hidden_reason == "too_few":
        return say(t, "poll.hidden_too_few")
    return None


def _option_blocks(t: Translator, card: PollCard) -> list[Block]:
    """Each option with its bar; choices get their vote button beside them, ratings a row of
    buttons below."""
    votes = {action.option: action_button(t, action) for action in vote_actions(card)}
    blocks: list[Block] = []
    for option in card.options:
        text = bold(option_label(card, option.label))
        if card.results_visible:
            text = Mrkdwn(f"{text}\n{_share(t, option, card)}")
        block = section(text)
        if card.kind is PollKind.CHOICE:
            block.accessory = votes.get(option.id)
        blocks.append(block)
    if card.kind is not PollKind.CHOICE and votes:
        blocks.append(ActionsBlock(block_id=f"rate-{card.id}", elements=list(votes.values())))
    return blocks


def _totals(t: Translator, card: PollCard) -> Mrkdwn:
    parts = [say_count(t, "poll.voters", card.total)]
    if card.average is not None:
        parts.append(say(t, "poll.average", average=t.number(round(card.average, 1))))
    return Mrkdwn(" · ".join(parts))


def _manage_buttons(t: Translator, card: PollCard) -> list[ButtonElement]:
    return [action_button(t, action) for action in poll_manage_actions(card)]


def poll_message(t: Translator, card: PollCard, now: datetime) -> Reply:
    """The poll in its channel: the question, the options with their bars and buttons, the
    total, the time left, and what anonymity means here."""
    blocks: list[Block] = [header(card.question), context(_how(t, card, now))]
    blocks += _option_blocks(t, card)
    notes = [_totals(t, card), _hidden_note(t, card)]
    if card.anonymous:
        notes.append(say(t, "poll.anonymous_note"))
    blocks.append(context(*[note for note in notes if note]))
    manage = _manage_buttons(t, card)
    if manage:
        blocks.append(ActionsBlock(block_id=f"poll-{card.id}", elements=manage))
    key = "poll.closed_text" if card.closed else "poll.text"
    return Reply(text=say(t, key, question=card.question), blocks=blocks)


def results_reply(t: Translator, card: PollCard, now: datetime) -> Reply:
    """The results for `poll results ID` and for the thread when the poll closes."""
    title = say(t, "poll.results_title", question=card.question)
    blocks: list[Block] = [section(title)]
    note = _hidden_note(t, card)
    if note:
        blocks.append(section(note))
    else:
        lines = [f"{bold(option_label(card, o.label))}  {_share(t, o, card)}" for o in card.options]
        blocks.append(section("\n".join(lines)))
    blocks.append(context(_totals(t, card), _how(t, card, now)))
    for comment in card.comments[:10]:
        blocks.append(section(f"> {escape(comment)}"))
    return Reply(text=title, blocks=blocks)


def vote_reply(t: Translator, outcome: PollOutcome) -> Reply:
    """The voter's own choices, told to them alone."""
    if not outcome.chosen:
        return plain(t, "poll.vote_withdrawn", question=outcome.question)
    chosen = Mrkdwn(t.list(bold(label) for label in outcome.chosen))
    note = say(t, "poll.vote_anonymous") if outcome.anonymous else None
    return plain(t, "poll.voted", note=note, question=outcome.question, choices=chosen)


def posted_reply(t: Translator, card: PollCard, channel_id: str) -> Reply:
    return plain(
        t, "poll.posted", question=card.question, channel=channel_link(channel_id), id=card.id
    )


def nudge_message(t: Translator, card: PollCard) -> Reply:
    return plain(t, "poll.nudge", question=card.question, network=card.network.slug)


def nudged_reply(t: Translator, nudged: Nudged) -> Reply:
    return plain(t, "poll.nudged", count=nudged.reminded)


def closed_reply(t: Translator, outcome: PollOutcome) -> Reply:
    return plain(t, "poll.closed_by_you", question=outcome.question)


def feedback_request(t: Translator, card: PollCard) -> Reply:
    """The direct message after an event: how was it, one to five stars, and a comment."""
    text = say(t, "feedback.ask", title=card.event_title or card.question)
    buttons = [action_button(t, action) for action in feedback_actions(card)]
    blocks: list[Block] = [
        section(text),
        ActionsBlock(block_id=f"rate-{card.id}", elements=buttons),
    ]
    if card.closes_at is not None:
        blocks.append(context(say(t, "feedback.anonymous", when=t.moment(card.closes_at))))
    return Reply(text=text, blocks=blocks)


def feedback_summary(t: Translator, card: PollCard, now: datetime) -> Reply:
    """What the coordinators get when an event's feedback closes."""
    title = say(t, "feedback.summary", title=card.event_title or card.question)
    reply = results_reply(t, card, now)
    return Reply(text=title, blocks=[section(title), *reply.blocks[1:]])


def export_note(t: Translator, card: PollCard) -> Mrkdwn:
    key = "poll.export_anonymous" if card.anonymous else "poll.export_named"
    return say(t, key, question=card.question)


def export_reply(t: Translator, card: PollCard, sent: bool) -> Reply:
    return plain(t, "poll.exported" if sent else "poll.export_failed", question=card.question)
