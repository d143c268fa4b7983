"""The "home" card in a person's chat with the bot, Teams' stand-in for Slack's App Home: their
networks, events, the polls waiting for them, networks for them, their settings and, for
coordinators, the requests waiting and what could not be sent. Typed as `home` (`koti`, `hem`),
and shown anew, as it now stands, with its Refresh button."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import CardElement, Container

from bot.card_actions import Act, CardAction, request_actions, waiting_poll_actions
from bot.domain import MembershipStatus
from bot.i18n import Translator, keywords
from bot.results.home import HomeNetwork, HomePage, TroubledChannel, Undelivered
from bot.results.polls import WaitingPoll
from bot.services.home import UNDELIVERED_DAYS
from bot.words import Word
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
from handlers.teams.event_cards import event_actions
from handlers.teams.network_cards import suggestions
from handlers.teams.platform import unreachable

SHOWN = 8
# What the buttons of suggestions on the home card carry, so that their answer is the card anew.
ON_HOME = "home"
OPTIONS_AS_BUTTONS = 5


def asks_for_home(tokens: Sequence[object]) -> bool:
    """Whether a message is the word for home, in any language."""
    if len(tokens) != 1 or not isinstance(tokens[0], Word) or tokens[0].quoted:
        return False
    words = {w for by_meaning in keywords("teams").values() for w in by_meaning.get("home", ())}
    return tokens[0].text.casefold() in words


def refresh_action() -> CardAction:
    return CardAction(Act.REFRESH_HOME, 0, "teams.home_refresh")


def _networks(t: Translator, networks: Sequence[HomeNetwork]) -> list[CardElement]:
    body: list[CardElement] = []
    for item in networks[:SHOWN]:
        view = item.membership
        parts = [strong(name_of(view.network, t))]
        if view.status is MembershipStatus.PENDING:
            parts.append(say(t, "home.pending"))
        else:
            parts.append(t.label(view.role))
        if item.next_event is not None:
            when = t.moment(item.next_event.starts_at)
            parts.append(say(t, "home.next_event", title=item.next_event.title, when=when))
        if item.waiting_polls:
            parts.append(say(t, "home.polls_waiting", count=item.waiting_polls))
        body.append(text(" · ".join(parts)))
    return body


def _polls(t: Translator, polls: Sequence[WaitingPoll]) -> list[CardElement]:
    body: list[CardElement] = []
    for poll in polls[:SHOWN]:
        line = f"{strong(poll.question)} · {name_of(poll.network, t)}"
        if poll.closes_at is not None:
            line += " · " + say(t, "home.closes", when=t.moment(poll.closes_at))
        items: list[CardElement] = [text(line)]
        items += action_elements(t, waiting_poll_actions(poll)[:OPTIONS_AS_BUTTONS])
        if len(poll.options) > OPTIONS_AS_BUTTONS:
            items.append(text(say(t, "home.more_options"), subtle=True))
        body.append(Container(items=items, separator=True))
    return body


def _undelivered(t: Translator, undelivered: Sequence[Undelivered]) -> list[CardElement]:
    if not undelivered:
        return []
    lines = [say(t, "home.undelivered", days=UNDELIVERED_DAYS)]
    for item in undelivered[:SHOWN]:
        key = "unreachable" if unreachable(item.reason) else "refused"
        why = t(f"teams.undelivered_{key}")
        lines.append(f"• {name_of(item.network, t)} · {t.moment(item.due_at)} · {why}")
    return [text("\n".join(lines))]


def _troubled_channels(t: Translator, troubled: Sequence[TroubledChannel]) -> list[CardElement]:
    if not troubled:
        return []
    lines = [say(t, "home.troubled_channels")]
    for item in troubled[:SHOWN]:
        # Teams tells the bot of deleted channels; anything else a channel can come to is Slack's.
        key = f"teams.channel_trouble.{item.trouble.value}"
        line = say(
            t,
            key if t.has(key) else "teams.channel_trouble.other",
            network=name_of(item.network, t),
            when=t.moment(item.since),
            command=t.command,
            slug=item.network.slug,
        )
        lines.append(line)
    return [text("\n".join(lines))]


def home_message(t: Translator, page: HomePage, public_url: str | None) -> Message:
    """The person's home card, as it stands now."""
    body: list[CardElement] = [heading(t("home.title"))]
    if not page.networks:
        body.append(text(say(t, "home.welcome")))
    else:
        body += [text(t("home.networks"), strong=True), *_networks(t, page.networks)]
    if page.events.events:
        body.append(text(t("home.events"), strong=True))
        for card in page.events.events[:SHOWN]:
            line = f"{strong(card.title)} · {t.span(card.starts_at, card.ends_at)}"
            line += f" · {name_of(card.network, t)}"
            mine = page.events.mine.get(card.id)
            if mine is not None:
                line += " · " + say(t, "events.your_answer", answer=t.label(mine))
            manage = card.id in page.events.manageable
            items = [text(line), *event_actions(t, card, public_url, manage=manage)]
            body.append(Container(items=items, separator=True))
    if page.polls:
        body += [text(t("home.polls"), strong=True), *_polls(t, page.polls)]
    if page.for_you.networks:
        body += [text(t("home.for_you"), strong=True), *suggestions(t, page.for_you, ON_HOME)]
    body.append(text(t("home.settings"), strong=True))
    state = "settings.reminders_on" if page.reminders else "settings.reminders_off"
    body.append(
        text(
            say(
                t,
                "settings.show",
                language=t.language_name(t.language),
                reminders=t(state),
                digest=t.label(page.digest_frequency),
            )
        )
    )
    if any(item.coordinated for item in page.networks):
        body.append(text(t("home.coordinators"), strong=True))
        if not page.requests:
            body.append(text(say(t, "home.no_requests")))
        for request in page.requests[:SHOWN]:
            line = say(
                t,
                "home.request_external" if request.external else "home.request",
                person=request.requester.display_name,
                network=name_of(request.network, t),
            )
            items = [text(line), *action_elements(t, request_actions(request))]
            body.append(Container(items=items, separator=True))
        body += _troubled_channels(t, page.troubled_channels)
        body += _undelivered(t, page.undelivered)
    body += action_elements(t, [refresh_action()])
    return message(t("home.title"), *body)
