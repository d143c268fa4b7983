"""Digests in Teams: a network's channel digest, a person's own digest with its way out, and
the coordinators' preview. Empty sections are left out."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import CardElement

from bot.card_actions import digest_off_action
from bot.domain import DigestSchedule
from bot.i18n import Translator
from bot.results.digests import ChannelDigest, DigestEvent, DigestPoll, NetworkNews, PersonalDigest
from bot.results.recommendations import Recommendation, Recommendations
from bot.results.refs import NetworkRef
from bot.text import shorten
from handlers.teams.cards import (
    Message,
    action_elements,
    heading,
    message,
    name_of,
    say,
    strong,
    text,
)
from handlers.teams.network_cards import suggestions

SIGNAL_TEXT_LENGTH = 200


def _event_line(t: Translator, event: DigestEvent, network: NetworkRef | None = None) -> str:
    when = Translator(t.language, event.timezone).moment(event.starts_at)
    line = f"• {strong(event.title)} · {when}"
    if network is not None:
        line += f" · {name_of(network, t)}"
    if event.going or event.maybe:
        line += " · " + say(t, "digest.answers", going=event.going, maybe=event.maybe)
    return line


def _poll_line(t: Translator, poll: DigestPoll, network: NetworkRef | None = None) -> str:
    line = f"• {strong(poll.question)}"
    if network is not None:
        line += f" · {name_of(network, t)}"
    if not poll.closed:
        line += " · " + say(t, "digest.voters_so_far", count=poll.voters)
        if poll.closes_at is not None:
            line += " · " + say(t, "digest.closes", when=t.moment(poll.closes_at))
    elif poll.leading:
        line += " · " + say(
            t,
            "digest.won",
            options=t.list(poll.leading),
            votes=poll.leading_votes,
            count=poll.voters,
        )
    else:
        line += " · " + say(t, "digest.closed_without_results", count=poll.voters)
    return line


def _section(title: str, lines: Sequence[str]) -> list[CardElement]:
    return [text(title), *(text(line) for line in lines)] if lines else []


def _news(t: Translator, news: NetworkNews) -> list[CardElement]:
    body: list[CardElement] = []
    if news.new_member_count:
        names = [person.display_name for person in news.new_members]
        others = news.new_member_count - len(names)
        if others:
            names.append(t.plural("digest.others", others))
        body.append(
            text(say(t, "digest.new_members", count=news.new_member_count, names=t.list(names)))
        )
    body += _section(say(t, "digest.coming_up"), [_event_line(t, e) for e in news.events])
    body += _section(say(t, "digest.open_polls"), [_poll_line(t, p) for p in news.open_polls])
    body += _section(say(t, "digest.closed_polls"), [_poll_line(t, p) for p in news.closed_polls])
    if news.signal_count:
        quoted = [
            f"“{shorten(signal.text, SIGNAL_TEXT_LENGTH)}”"
            + (" " + say(t, "digest.seen_too", count=signal.seconds) if signal.seconds else "")
            for signal in news.signals
        ]
        body += _section(say(t, "digest.signals", count=news.signal_count), quoted)
    return body


def _similar(
    t: Translator, similar: Sequence[Recommendation], key: str, refusable: bool
) -> list[CardElement]:
    """Networks worth knowing; in a person's own digest, each can be turned down."""
    if not similar:
        return []
    found = Recommendations(None, tuple(similar))
    return [text(say(t, key)), *suggestions(t, found, refusable=refusable)]


def _channel_title(t: Translator, news: NetworkNews) -> str:
    return say(
        t,
        "digest.channel_title",
        network=name_of(news.network, t),
        start=t.date(news.period_start),
        end=t.date(news.period_end),
    )


def _channel_body(t: Translator, digest: ChannelDigest) -> list[CardElement]:
    news = digest.news
    return [
        heading(t("digest.header", network=name_of(news.network, t))),
        text(_channel_title(t, news), subtle=True),
        *_news(t, news),
        *_similar(t, digest.similar, "digest.similar", refusable=False),
        text(say(t, "digest.channel_footer", slug=news.network.slug), subtle=True),
    ]


def channel_digest(t: Translator, digest: ChannelDigest) -> Message:
    """The digest a network's channel gets."""
    return message(_channel_title(t, digest.news), *_channel_body(t, digest))


def personal_digest(t: Translator, digest: PersonalDigest) -> Message:
    """What a person who was away missed, with a button to stop these messages."""
    title = say(
        t, "digest.personal_title", start=t.date(digest.period_start), end=t.date(digest.period_end)
    )
    body: list[CardElement] = [text(title)]
    body += _section(say(t, "digest.going_to"), [_event_line(t, e, n) for n, e in digest.going_to])
    body += _section(
        say(t, "digest.waiting_for_you"), [_poll_line(t, p, n) for n, p in digest.waiting_polls]
    )
    body += _section(
        say(t, "digest.your_results"), [_poll_line(t, p, n) for n, p in digest.results]
    )
    activity_lines = [
        f"• {strong(name_of(activity.network, t))}: "
        + t.list(
            say(t, f"digest.activity.{kind}", count=count)
            for kind, count in (
                ("joined", activity.joined),
                ("events", activity.events),
                ("signals", activity.signals),
            )
            if count
        )
        for activity in digest.networks
    ]
    body += _section(say(t, "digest.in_your_networks"), activity_lines)
    body += _similar(t, digest.for_you, "digest.for_you", refusable=True)
    body += action_elements(t, [digest_off_action()])
    body.append(text(say(t, "digest.personal_footer"), subtle=True))
    return message(title, *body)


def preview_message(t: Translator, digest: ChannelDigest, schedule: DigestSchedule) -> Message:
    """The coordinators' look at the next digest, as it stands."""
    name = name_of(digest.news.network, t)
    if schedule is DigestSchedule.OFF:
        note = say(t, "digest.preview_off", network=name, slug=digest.news.network.slug)
    else:
        note = say(t, "digest.preview", network=name, schedule=t.label(schedule))
    if digest.is_empty:
        return message(note, text(note), text(say(t, "digest.preview_empty", network=name)))
    return message(note, text(note), *_channel_body(t, digest))
