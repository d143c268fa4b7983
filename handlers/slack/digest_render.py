"""Digests in Block Kit: a network's channel digest, a person's own digest with its opt-out
button, and the coordinators' preview. Empty sections are left out."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock

from bot.domain import DigestFrequency, DigestSchedule
from bot.i18n import Translator
from bot.results.digests import ChannelDigest, DigestEvent, DigestPoll, NetworkNews, PersonalDigest
from bot.results.recommendations import Recommendation, Recommendations
from bot.results.refs import NetworkRef
from handlers.slack.blocks import ActionId, Reply, button, context, header, name_of, plain, section
from handlers.slack.markup import Mrkdwn, bold, escape_within, say
from handlers.slack.network_render import suggestion_blocks

SIGNAL_TEXT_LENGTH = 200


def _event_line(t: Translator, event: DigestEvent, network: NetworkRef | None = None) -> Mrkdwn:
    when = Translator(t.language, event.timezone).moment(event.starts_at)
    line = f"• {bold(event.title)} · {escape_within(when, 80)}"
    if network is not None:
        line += f" · {escape_within(name_of(network, t), 150)}"
    if event.going or event.maybe:
        line += " · " + say(t, "digest.answers", going=event.going, maybe=event.maybe)
    return Mrkdwn(line)


def _poll_line(t: Translator, poll: DigestPoll, network: NetworkRef | None = None) -> Mrkdwn:
    line = f"• {bold(poll.question)}"
    if network is not None:
        line += f" · {escape_within(name_of(network, t), 150)}"
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
    return Mrkdwn(line)


def _lines(title: Mrkdwn, lines: Sequence[str]) -> list[Block]:
    return [section(f"{title}\n" + "\n".join(lines))] if lines else []


def _news_blocks(t: Translator, news: NetworkNews) -> list[Block]:
    blocks: list[Block] = []
    if news.new_member_count:
        names = [person.display_name for person in news.new_members]
        others = news.new_member_count - len(names)
        if others:
            names.append(t.plural("digest.others", others))
        text = say(t, "digest.new_members", count=news.new_member_count, names=t.list(names))
        blocks.append(section(text))
    blocks += _lines(say(t, "digest.coming_up"), [_event_line(t, event) for event in news.events])
    blocks += _lines(say(t, "digest.open_polls"), [_poll_line(t, p) for p in news.open_polls])
    blocks += _lines(say(t, "digest.closed_polls"), [_poll_line(t, p) for p in news.closed_polls])
    if news.signal_count:
        quoted = [
            f"> {escape_within(signal.text, SIGNAL_TEXT_LENGTH)}"
            + (" " + say(t, "digest.seen_too", count=signal.seconds) if signal.seconds else "")
            for signal in news.signals
        ]
        blocks += _lines(say(t, "digest.signals", count=news.signal_count), quoted)
    return blocks


def _similar_blocks(
    t: Translator, similar: Sequence[Recommendation], key: str, refusable: bool
) -> list[Block]:
    """Networks worth knowing; in a person's own digest, each can be turned down."""
    if not similar:
        return []
    found = Recommendations(None, tuple(similar))
    return [section(say(t, key)), *suggestion_blocks(t, found, refusable)]


def channel_digest(t: Translator, digest: ChannelDigest) -> Reply:
    """The digest a network's channel gets."""
    news = digest.news
    title = say(
        t,
        "digest.channel_title",
        network=name_of(news.network, t),
        start=t.date(news.period_start),
        end=t.date(news.period_end),
    )
    blocks: list[Block] = [
        header(t("digest.header", network=name_of(news.network, t))),
        context(title),
        *_news_blocks(t, news),
        *_similar_blocks(t, digest.similar, "digest.similar", refusable=False),
        context(say(t, "digest.channel_footer", slug=news.network.slug)),
    ]
    return Reply(text=title, blocks=blocks)


def personal_digest(t: Translator, digest: PersonalDigest) -> Reply:
    """What a person who was away missed, with a button to stop these messages."""
    title = say(
        t, "digest.personal_title", start=t.date(digest.period_start), end=t.date(digest.period_end)
    )
    blocks: list[Block] = [section(title)]
    blocks += _lines(
        say(t, "digest.going_to"),
        [_event_line(t, event, network) for network, event in digest.going_to],
    )
    blocks += _lines(
        say(t, "digest.waiting_for_you"),
        [_poll_line(t, poll, network) for network, poll in digest.waiting_polls],
    )
    blocks += _lines(
        say(t, "digest.your_results"),
        [_poll_line(t, poll, network) for network, poll in digest.results],
    )
    blocks += _lines(
        say(t, "digest.in_your_networks"),
        [
            f"• {bold(name_of(activity.network, t))}: "
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
        ],
    )
    blocks += _similar_blocks(t, digest.for_you, "digest.for_you", refusable=True)
    blocks.append(DividerBlock())
    blocks.append(
        ActionsBlock(
            block_id="digest-settings",
            elements=[button(t("button.digest_off"), ActionId.DIGEST_OFF, "never")],
        )
    )
    blocks.append(context(say(t, "digest.personal_footer")))
    return Reply(text=title, blocks=blocks)


def preview_reply(t: Translator, digest: ChannelDigest, schedule: DigestSchedule) -> Reply:
    """The coordinators' look at the next digest, as it stands."""
    name = name_of(digest.news.network, t)
    if schedule is DigestSchedule.OFF:
        note = say(t, "digest.preview_off", network=name, slug=digest.news.network.slug)
    else:
        note = say(t, "digest.preview", network=name, schedule=t.label(schedule))
    if digest.is_empty:
        return plain(t, "digest.preview_empty", note=note, network=name)
    message = channel_digest(t, digest)
    return Reply(text=note, blocks=[section(note), DividerBlock(), *message.blocks])


def schedule_set_reply(t: Translator, network: NetworkRef, schedule: DigestSchedule) -> Reply:
    return plain(t, "digest.schedule_set", network=name_of(network, t), schedule=t.label(schedule))


def frequency_set_reply(t: Translator, frequency: DigestFrequency) -> Reply:
    return plain(t, "digest.frequency_set", frequency=t.label(frequency))
