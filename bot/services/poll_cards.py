"""A poll as everyone sees it: its card, and its results as a table."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime

from bot.domain import PollKind, PollStatus
from bot.results.polls import OptionResult, PollCard
from bot.services.mapping import network_ref
from bot.services.poll_fields import MAX_OPTIONS
from bot.tables import csv_cell
from storage.models import Ballot, Poll
from storage.store import Store

# Below this many voters an anonymous poll shows no results: one vote could be told apart.
ANONYMITY_THRESHOLD = 3


def poll_card(store: Store, poll: Poll, now: datetime, timezone: str) -> PollCard:
    """A poll as its messages show it to everyone at `now`: results only when they may be seen."""
    counts = store.ballots.counts(poll.id)
    total = store.ballots.voter_count(poll.id)
    closed = poll.status is PollStatus.CLOSED
    hidden_reason = None
    if not poll.results_live and not closed:
        hidden_reason = "until_closed"
    elif poll.anonymous and total < ANONYMITY_THRESHOLD:
        hidden_reason = "too_few"
    visible = hidden_reason is None
    options = tuple(
        OptionResult(o.id, o.label, counts.get(o.id, 0) if visible else None) for o in poll.options
    )
    average = None
    if poll.kind is not PollKind.CHOICE and visible:
        points = Counter({int(o.label): counts.get(o.id, 0) for o in poll.options})
        rated = sum(points.values())
        average = sum(p * n for p, n in points.items()) / rated if rated else None
    comments: tuple[str, ...] = ()
    if poll.event_id is not None and closed and visible:
        comments = tuple(sorted(b.comment for b in store.ballots.of_poll(poll.id) if b.comment))
    event = store.events.get(poll.event_id) if poll.event_id else None
    return PollCard(
        id=poll.id,
        network=network_ref(poll.network),
        question=poll.question,
        kind=poll.kind,
        options=options,
        total=total,
        max_choices=poll.max_choices,
        anonymous=poll.anonymous,
        results_live=poll.results_live,
        results_visible=visible,
        hidden_reason=hidden_reason,
        members_add_options=poll.members_add_options and len(poll.options) < MAX_OPTIONS,
        closes_at=poll.closes_at,
        closed=closed,
        nudged=poll.nudged_at is not None,
        language=poll.language,
        timezone=timezone,
        average=average,
        comments=comments,
        event_title=event.title if event else None,
        event_starts_at=event.starts_at if event else None,
    )


def results_table(store: Store, poll: Poll, card: PollCard) -> str:
    """The poll's results as CSV: counts; each voter's choices unless it is anonymous; the
    comments."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["option", "votes"])
    for option in card.options:
        writer.writerow([csv_cell(option.label), option.votes])
    if not poll.anonymous:
        writer.writerow([])
        writer.writerow(["person", "choices"])
        for ballot in store.ballots.of_poll(poll.id):
            if ballot.person is not None and ballot.choices:
                labels = "; ".join(choice_labels(poll, ballot))
                writer.writerow([csv_cell(ballot.person.display_name), csv_cell(labels)])
    comments = [b.comment for b in store.ballots.of_poll(poll.id) if b.comment]
    if comments:
        writer.writerow([])
        writer.writerow(["comment"])
        for comment in sorted(comments):
            writer.writerow([csv_cell(comment)])
    return out.getvalue()


def choice_labels(poll: Poll, ballot: Ballot) -> list[str]:
    chosen = {choice.option_id for choice in ballot.choices}
    return [option.label for option in poll.options if option.id in chosen]
