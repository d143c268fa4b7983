"""The App Home tab in Block Kit, and the "show all" modals behind its long lists.

Slack allows 100 blocks in a view: each list shows its first few, and a button opens the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    Option,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.card_actions import request_actions, waiting_poll_actions
from bot.domain import LANGUAGES, Category, DigestFrequency, MembershipStatus, MessageKind, Scope
from bot.i18n import Translator
from bot.results.events import EventListing
from bot.results.home import HomeNetwork, HomePage, TroubledChannel, Undelivered
from bot.results.memberships import JoinRequest
from bot.results.networks import SearchResult
from bot.results.polls import WaitingPoll
from bot.services.home import UNDELIVERED_DAYS
from handlers.slack.blocks import ActionId, action_button, button, context, header, name_of, section
from handlers.slack.event_render import listing_entry
from handlers.slack.markup import (
    Mrkdwn,
    bold,
    channel_link,
    escape,
    escape_within,
    recipient_link,
    say,
)
from handlers.slack.modals import (
    enum_options,
    input_block,
    selected_value,
    selected_values,
    text_field,
    text_value,
)
from handlers.slack.network_render import search_reply, suggestion_blocks

NETWORKS_SHOWN = 8
EVENTS_SHOWN = 4
POLLS_SHOWN = 4
REQUESTS_SHOWN = 5
QUICK_ACTIONS_SHOWN = 5
OPTIONS_AS_BUTTONS = 5
ALL_SHOWN = 90
QUESTION_LENGTH = 300
QUERY_LENGTH = 100
LISTS = ("networks", "events", "polls", "requests")
# How each kind of message is named to a coordinator when it could not be sent.
UNDELIVERED_KINDS = {
    MessageKind.ANNOUNCEMENT: "announcement",
    MessageKind.ANNOUNCEMENT_REFRESH: "announcement",
    MessageKind.REMINDER: "reminder",
    MessageKind.PROMOTION: "event_notice",
    MessageKind.EVENT_CHANGED: "event_notice",
    MessageKind.EVENT_CANCELLED: "event_notice",
    MessageKind.POLL: "poll",
    MessageKind.POLL_REFRESH: "poll",
    MessageKind.POLL_RESULTS: "poll_results",
    MessageKind.POLL_NUDGE: "poll",
    MessageKind.FEEDBACK_REQUEST: "feedback",
    MessageKind.FEEDBACK_SUMMARY: "feedback",
    MessageKind.SIGNAL: "signal",
    MessageKind.SIGNAL_REFRESH: "signal",
    MessageKind.CHANNEL_DIGEST: "digest",
}
SEARCH_CALLBACK_ID = "directory.search"


def home_view(t: Translator, page: HomePage, public_url: str | None) -> View:
    """The person's Home tab."""
    blocks: list[Block] = [header(t("home.title"))]
    if not page.networks:
        blocks.append(section(say(t, "home.welcome")))
    else:
        blocks += [header(t("home.networks")), *_networks(t, page.networks, NETWORKS_SHOWN)]
    blocks.append(ActionsBlock(block_id="home-search", elements=[_search_button(t)]))
    if page.events.events:
        blocks += [DividerBlock(), header(t("home.events"))]
        blocks += _events(t, page.events, public_url, EVENTS_SHOWN)
    if page.polls:
        blocks += [DividerBlock(), header(t("home.polls"))]
        blocks += _polls(t, page.polls, POLLS_SHOWN)
    if page.for_you.networks:
        blocks += [DividerBlock(), header(t("home.for_you"))]
        blocks += suggestion_blocks(t, page.for_you)
    blocks += [DividerBlock(), header(t("home.settings")), *_settings(t, page)]
    coordinated = [n for n in page.networks if n.coordinated]
    if coordinated:
        blocks += [DividerBlock(), header(t("home.coordinators"))]
        blocks += _requests(t, page.requests, REQUESTS_SHOWN)
        blocks += _troubled_channels(t, page.troubled_channels)
        blocks += _undelivered(t, page.undelivered)
        blocks += _quick_actions(t, coordinated[:QUICK_ACTIONS_SHOWN])
    return View(type="home", callback_id="home", blocks=blocks)


def all_of(t: Translator, page: HomePage, which: str, public_url: str | None) -> View:
    """A modal with the whole of one of the Home's lists."""
    if which == "events":
        blocks = _events(t, page.events, public_url, ALL_SHOWN // 2)
    elif which == "polls":
        blocks = _polls(t, page.polls, ALL_SHOWN // 3)  # up to three blocks each
    elif which == "requests":
        blocks = _requests(t, page.requests, ALL_SHOWN // 2)
    else:
        blocks = _networks(t, page.networks, ALL_SHOWN)
    return View(
        type="modal",
        callback_id="home.all",
        title=t(f"home.all_{which}") if which in LISTS else t("home.all_networks"),
        close=t("button.close"),
        blocks=blocks or [section(say(t, "home.nothing_more"))],
    )


def _show_all(t: Translator, which: str, total: int) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"home-all-{which}",
        elements=[button(t("button.show_all", count=total), ActionId.HOME_ALL, which)],
    )


def _networks(t: Translator, networks: Sequence[HomeNetwork], shown: int) -> list[Block]:
    blocks: list[Block] = []
    for item in networks[:shown]:
        view = item.membership
        parts = [bold(name_of(view.network, t))]
        if view.status is MembershipStatus.PENDING:
            parts.append(say(t, "home.pending"))
        else:
            parts.append(escape(t.label(view.role)))
        if item.next_event is not None:
            when = t.moment(item.next_event.starts_at)
            parts.append(say(t, "home.next_event", title=item.next_event.title, when=when))
        if item.waiting_polls:
            parts.append(say(t, "home.polls_waiting", count=item.waiting_polls))
        block = section(" · ".join(parts))
        block.accessory = button(t("button.info"), ActionId.INFO, view.network.id)
        blocks.append(block)
    if len(networks) > shown:
        blocks.append(_show_all(t, "networks", len(networks)))
    return blocks


def _events(
    t: Translator, listing: EventListing, public_url: str | None, shown: int
) -> list[Block]:
    blocks: list[Block] = []
    events = listing.events
    for card in events[:shown]:
        blocks += listing_entry(t, listing, card, public_url, with_network=True)
    if len(events) > shown:
        blocks.append(_show_all(t, "events", len(events)))
    return blocks


def _polls(t: Translator, polls: Sequence[WaitingPoll], shown: int) -> list[Block]:
    blocks: list[Block] = []
    for poll in polls[:shown]:
        line = (
            f"{escape_within(poll.question, QUESTION_LENGTH)} · {escape(name_of(poll.network, t))}"
        )
        if poll.closes_at is not None:
            line += " · " + say(t, "home.closes", when=t.moment(poll.closes_at))
        blocks.append(section(Mrkdwn(line)))
        votes = waiting_poll_actions(poll)[:OPTIONS_AS_BUTTONS]
        buttons = [action_button(t, action) for action in votes]
        if buttons:
            blocks.append(ActionsBlock(block_id=f"home-poll-{poll.id}", elements=buttons))
        if len(poll.options) > OPTIONS_AS_BUTTONS:
            blocks.append(context(say(t, "home.more_options", command=t.command)))
    if len(polls) > shown:
        blocks.append(_show_all(t, "polls", len(polls)))
    return blocks


def _requests(t: Translator, requests: Sequence[JoinRequest], shown: int) -> list[Block]:
    if not requests:
        return [section(say(t, "home.no_requests"))]
    blocks: list[Block] = []
    for request in requests[:shown]:
        line = say(
            t,
            "home.request_external" if request.external else "home.request",
            person=request.requester.display_name,
            network=name_of(request.network, t),
        )
        blocks.append(section(line))
        blocks.append(
            ActionsBlock(
                block_id=f"home-request-{request.membership_id}",
                elements=[action_button(t, action) for action in request_actions(request)],
            )
        )
    if len(requests) > shown:
        blocks.append(_show_all(t, "requests", len(requests)))
    return blocks


def _undelivered(t: Translator, undelivered: Sequence[Undelivered]) -> list[Block]:
    """What could not be sent about the person's networks, and what to do about it."""
    if not undelivered:
        return []
    lines = [say(t, "home.undelivered", days=UNDELIVERED_DAYS)]
    for item in undelivered:
        code = item.reason.split(" ", 1)[0]
        reason_key = f"slack.undelivered_reason.{code}"
        reason = (
            say(t, reason_key, command=t.command)
            if t.has(reason_key)
            else say(t, "slack.undelivered_reason.other", reason=item.reason)
        )
        what = t(f"home.undelivered_kind.{UNDELIVERED_KINDS.get(item.kind, 'other')}")
        line = say(
            t,
            "home.undelivered_line",
            what=what,
            recipient=recipient_link(item.recipient),
            network=name_of(item.network, t),
            when=t.moment(item.due_at),
            reason=reason,
        )
        lines.append(line)
    return [section("\n".join(lines))]


def _troubled_channels(t: Translator, troubled: Sequence[TroubledChannel]) -> list[Block]:
    """Linked channels that were disconnected, unshared, archived or deleted, and what to do."""
    if not troubled:
        return []
    blocks: list[Block] = [section(say(t, "home.troubled_channels"))]
    for item in troubled:
        # A block each: a section holds at most 3,000 characters.
        line = say(
            t,
            f"home.channel_trouble.{item.trouble.value}",
            network=bold(name_of(item.network, t)),
            channel=channel_link(item.channel_id),
            when=t.moment(item.since),
            command=t.command,
            slug=item.network.slug,
        )
        blocks.append(section(line))
    return blocks


def _quick_actions(t: Translator, networks: Sequence[HomeNetwork]) -> list[Block]:
    blocks: list[Block] = []
    for item in networks:
        ref = item.membership.network
        blocks.append(section(bold(name_of(ref, t))))
        blocks.append(
            ActionsBlock(
                block_id=f"home-quick-{ref.id}",
                elements=[
                    button(t("button.announce"), ActionId.HOME_EVENT, ref.slug),
                    button(t("button.start_poll"), ActionId.HOME_POLL, ref.slug),
                    button(t("button.report"), ActionId.HOME_REPORT, ref.slug),
                ],
            )
        )
    return blocks


def _search_button(t: Translator) -> ButtonElement:
    return button(t("button.find_networks"), ActionId.HOME_SEARCH, "search", "primary")


def _select(
    t: Translator, action: ActionId, choices: Sequence[tuple[str, str]], chosen: str
) -> StaticSelectElement:
    options = [Option(value=value, text=label) for value, label in choices]
    initial = next((option for option in options if option.value == chosen), None)
    return StaticSelectElement(action_id=action.value, options=options, initial_option=initial)


def _settings(t: Translator, page: HomePage) -> list[Block]:
    language = section(say(t, "home.language"))
    language.accessory = _select(
        t,
        ActionId.HOME_LANGUAGE,
        [(code, t.language_name(code)) for code in LANGUAGES],
        t.language,
    )
    reminders = section(say(t, "home.reminders"))
    reminders.accessory = _select(
        t,
        ActionId.HOME_REMINDERS,
        [("on", t("settings.reminders_on")), ("off", t("settings.reminders_off"))],
        "on" if page.reminders else "off",
    )
    digest = section(say(t, "home.digest"))
    digest.accessory = _select(
        t,
        ActionId.HOME_DIGEST,
        [(frequency.value, t.label(frequency)) for frequency in DigestFrequency],
        page.digest_frequency.value,
    )
    return [language, reminders, digest]


def search_modal(t: Translator) -> View:
    """The directory search: words, a category and who takes part, all optional."""
    category = StaticSelectElement(
        action_id="value",
        placeholder=PlainTextObject(text=t("form.choose")),
        options=enum_options(t, Category),
    )
    scopes = StaticMultiSelectElement(
        action_id="value",
        placeholder=PlainTextObject(text=t("form.choose")),
        options=enum_options(t, Scope),
    )
    return View(
        type="modal",
        callback_id=SEARCH_CALLBACK_ID,
        title=t("home.search.title"),
        submit=t("home.search.submit"),
        close=t("button.close"),
        blocks=[
            text_field(t, "query", QUERY_LENGTH, prefix="home.search"),
            input_block(t, "category", category, optional=True, prefix="home.search"),
            input_block(t, "scopes", scopes, optional=True, prefix="home.search"),
        ],
    )


def submitted_search(view: dict[str, object]) -> tuple[str, Category | None, tuple[Scope, ...]]:
    """The search form's words, category and scopes; anything malformed counts as not given."""
    raw = view.get("state")
    values = raw.get("values") if isinstance(raw, dict) else None
    state = values if isinstance(values, dict) else {}
    query = (text_value(state, "query") or "")[:QUERY_LENGTH]
    category = selected_value(state, "category")
    scopes = selected_values(state, "scopes")
    return (
        query,
        Category(category) if category in set(Category) else None,
        tuple(Scope(scope) for scope in scopes if scope in set(Scope)),
    )


def search_results(t: Translator, result: SearchResult) -> View:
    """The directory's answer, in the modal, with a join button beside each network."""
    return View(
        type="modal",
        callback_id=f"{SEARCH_CALLBACK_ID}.done",
        title=t("home.search.title"),
        close=t("button.close"),
        blocks=search_reply(t, result).blocks,
    )
