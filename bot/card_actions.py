"""What a person may do from a card, decided once for every platform: the actions a network, an
event, a poll, a join request or a signal offers now, each with its label, how it stands out,
and whether it asks to be confirmed. A platform turns each into its own control (a Block Kit
button, an Adaptive Card action) and routes it back by its `Act`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain import JoinPolicy, MembershipStatus, PollKind
from bot.results.events import EventCard
from bot.results.memberships import JoinRequest
from bot.results.networks import NetworkSummary
from bot.results.polls import PollCard, WaitingPoll
from bot.results.signals import SignalCard

STAR = "★"


class Act(StrEnum):
    """An action from a card, by the use case it runs."""

    JOIN = "network.join"
    LEAVE = "network.leave"
    NOT_INTERESTED = "suggestion.not_interested"
    GOING = "event.going"
    MAYBE = "event.maybe"
    NOT_GOING = "event.not_going"
    EDIT_EVENT = "event.edit"
    CANCEL_EVENT = "event.cancel"
    ADD_OPTION = "poll.add_option"
    NUDGE = "poll.nudge"
    CLOSE_POLL = "poll.close"
    VOTE = "poll.vote"
    COMMENT = "poll.comment"
    APPROVE = "request.approve"
    DECLINE = "request.decline"
    SECOND_SIGNAL = "signal.second"
    FORGET_ME = "privacy.forget"
    DIGEST_OFF = "digest.off"
    REFRESH_HOME = "home.refresh"


class Emphasis(StrEnum):
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Confirm:
    """What an action that cannot be taken back asks first: the catalog keys of its title, its
    text (with `params`) and the answer that keeps things as they are."""

    title: str
    text: str
    keep: str
    params: tuple[tuple[str, str], ...] = ()
    danger: bool = False


@dataclass(frozen=True)
class CardAction:
    """An action on the card's subject (`target`, its id), or on one of its options (a vote).
    `label` is a catalog key, or the text to show as it is when `literal` (an option's own
    words)."""

    act: Act
    target: int
    label: str
    emphasis: Emphasis | None = None
    confirm: Confirm | None = None
    option: int | None = None
    literal: bool = False


def network_action(summary: NetworkSummary) -> CardAction | None:
    """Join, ask to join, or leave, as the reader stands; nothing while their request waits,
    or in an archived or closed network."""
    network_id = summary.ref.id
    if summary.my_status is MembershipStatus.ACTIVE:
        return CardAction(Act.LEAVE, network_id, "button.leave")
    if summary.my_status is MembershipStatus.PENDING or summary.archived:
        return None
    if summary.join_policy is JoinPolicy.OPEN:
        return CardAction(Act.JOIN, network_id, "button.join", Emphasis.PRIMARY)
    if summary.join_policy is JoinPolicy.REQUEST:
        return CardAction(Act.JOIN, network_id, "button.request", Emphasis.PRIMARY)
    return None


def suggestion_actions(summary: NetworkSummary) -> tuple[CardAction, ...]:
    """What a suggested network offers: join (or ask to), and saying one is not interested."""
    joining = network_action(summary)
    not_interested = CardAction(Act.NOT_INTERESTED, summary.ref.id, "button.not_interested")
    return (joining, not_interested) if joining else (not_interested,)


def answer_actions(card: EventCard) -> tuple[CardAction, ...]:
    """Going (or onto the waitlist when full), maybe, not going: while answers are open."""
    if not card.answers_open:
        return ()
    going = "button.waitlist" if card.full else "button.going"
    return (
        CardAction(Act.GOING, card.id, going, Emphasis.PRIMARY),
        CardAction(Act.MAYBE, card.id, "button.maybe"),
        CardAction(Act.NOT_GOING, card.id, "button.not_going"),
    )


def reminder_actions(card: EventCard) -> tuple[CardAction, ...]:
    """A reminder lets the person say they cannot come, while answers are open."""
    if not card.answers_open:
        return ()
    return (CardAction(Act.NOT_GOING, card.id, "button.cannot_come"),)


def event_manage_actions(card: EventCard) -> tuple[CardAction, ...]:
    """Edit and cancel, for those who manage it; nothing once it is cancelled."""
    if card.cancelled:
        return ()
    return (
        CardAction(Act.EDIT_EVENT, card.id, "button.edit_event"),
        CardAction(
            Act.CANCEL_EVENT,
            card.id,
            "button.cancel_event",
            Emphasis.DANGER,
            Confirm(
                "event.confirm_cancel_title",
                "event.confirm_cancel",
                "button.keep_event",
                (("title", card.title),),
                danger=True,
            ),
        ),
    )


def poll_manage_actions(card: PollCard) -> tuple[CardAction, ...]:
    """Add an option (when members may), remind those who have not voted (once), close."""
    if card.closed:
        return ()
    actions = []
    if card.members_add_options:
        actions.append(CardAction(Act.ADD_OPTION, card.id, "button.add_option"))
    if not card.nudged:
        actions.append(CardAction(Act.NUDGE, card.id, "button.nudge"))
    actions.append(
        CardAction(
            Act.CLOSE_POLL,
            card.id,
            "button.close_poll",
            Emphasis.DANGER,
            Confirm(
                "poll.confirm_close_title",
                "poll.confirm_close",
                "button.keep_open",
                (("question", card.question),),
            ),
        )
    )
    return tuple(actions)


def option_label(card: PollCard, label: str) -> str:
    """An option as people see it: stars for a star rating."""
    return STAR * int(label) if card.kind is PollKind.STARS else label


def vote_actions(card: PollCard) -> tuple[CardAction, ...]:
    """One vote per option while the poll is open."""
    return () if card.closed else _votes(card)


def _votes(card: PollCard) -> tuple[CardAction, ...]:
    """ "Vote" beside each choice, or the rating itself as the button."""
    if card.kind is PollKind.CHOICE:
        return tuple(
            CardAction(Act.VOTE, card.id, "button.vote", option=option.id)
            for option in card.options
        )
    return tuple(
        CardAction(
            Act.VOTE, card.id, option_label(card, option.label), option=option.id, literal=True
        )
        for option in card.options
    )


def feedback_actions(card: PollCard) -> tuple[CardAction, ...]:
    """An event's feedback asks for a rating and offers a comment."""
    return (*_votes(card), CardAction(Act.COMMENT, card.id, "button.comment"))


def waiting_poll_actions(poll: WaitingPoll) -> tuple[CardAction, ...]:
    """A vote for each option of a poll that waits for the person."""
    return tuple(
        CardAction(Act.VOTE, poll.id, label, option=option_id, literal=True)
        for option_id, label in poll.options
    )


def request_actions(request: JoinRequest) -> tuple[CardAction, ...]:
    """What a coordinator does with a request to join."""
    return (
        CardAction(Act.APPROVE, request.membership_id, "button.approve", Emphasis.PRIMARY),
        CardAction(Act.DECLINE, request.membership_id, "button.decline", Emphasis.DANGER),
    )


def second_action(card: SignalCard) -> CardAction:
    """ "I saw this too", or that the person already said so (pressing again takes it back)."""
    label = "button.seen_too_taken" if card.seconded_by_me else "button.seen_too"
    return CardAction(Act.SECOND_SIGNAL, card.id, label)


def forget_action() -> CardAction:
    """Forgetting a person's data, which cannot be taken back: asked first."""
    return CardAction(
        Act.FORGET_ME,
        0,
        "button.forget_me",
        Emphasis.DANGER,
        Confirm(
            "privacy.confirm_title", "privacy.confirm_text", "button.keep_my_data", danger=True
        ),
    )


def digest_off_action() -> CardAction:
    """A personal digest's way out: no more of them."""
    return CardAction(Act.DIGEST_OFF, 0, "button.digest_off")
