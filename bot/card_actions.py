"""What a person may do from a card, decided once for every platform: the actions a network, an
event or a poll offers now, each with its catalog label, how it stands out, and whether it asks
to be confirmed. A platform turns each into its own control (a Block Kit button, an Adaptive
Card action) and routes it back by its `Act`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain import JoinPolicy, MembershipStatus
from bot.results.events import EventCard
from bot.results.networks import NetworkSummary
from bot.results.polls import PollCard


class Act(StrEnum):
    """An action from a card, by the use case it runs."""

    JOIN = "network.join"
    LEAVE = "network.leave"
    GOING = "event.going"
    MAYBE = "event.maybe"
    NOT_GOING = "event.not_going"
    EDIT_EVENT = "event.edit"
    CANCEL_EVENT = "event.cancel"
    ADD_OPTION = "poll.add_option"
    NUDGE = "poll.nudge"
    CLOSE_POLL = "poll.close"


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
    """An action on the card's subject (`target`, its id); `label` is a catalog key."""

    act: Act
    target: int
    label: str
    emphasis: Emphasis | None = None
    confirm: Confirm | None = None


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
