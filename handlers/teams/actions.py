"""Buttons on Verkosto's cards in Teams (`Action.Execute`, the `adaptiveCard/action` invoke),
by the core's `Act` that each carries as its verb.

Teams waits for the answer: either a card that replaces the pressed one for whoever pressed it
(a coordinator's request notice once decided), or a short message Teams shows over the card,
with the full answer sent to the person's chat with the bot (joining from a list keeps the
list)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.card_actions import Act
from bot.domain import row_id
from bot.errors import InvalidInput, VerkostoError
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.teams.activity import Activity
from handlers.teams.cards import Message, card_of, summary_of, wire
from handlers.teams.runtime import TeamsRuntime

CARD = "application/vnd.microsoft.card.adaptive"
NOTE = "application/vnd.microsoft.activity.message"

Handler = Callable[[TeamsRuntime, Activity, Actor, Translator, dict[str, Any]], Message]


def _target(data: dict[str, Any]) -> int:
    """The row a button acts on; anything else is an outdated or forged button."""
    number = row_id(str(data.get("target", "")))
    if number is None:
        raise InvalidInput("error.stale_action")
    return number


def _join(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Message:
    outcome = rt.services.memberships.join(actor, network_id=_target(data))
    return rt.runner(activity, actor, t).after_join(outcome)


def _leave(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Message:
    outcome = rt.services.memberships.leave(actor, network_id=_target(data))
    return rt.runner(activity, actor, t).after_leave(outcome)


def _decide(approve: bool) -> Handler:
    def decide(
        rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
    ) -> Message:
        decision = rt.services.memberships.decide(actor, _target(data), approve=approve)
        return rt.runner(activity, actor, t).after_decision(decision)

    return decide


@dataclass(frozen=True)
class Button:
    handler: Handler
    # Whether the answer replaces the pressed card (for whoever pressed it).
    replaces_card: bool = False


BUTTONS: dict[Act, Button] = {
    Act.JOIN: Button(_join),
    Act.LEAVE: Button(_leave),
    Act.APPROVE: Button(_decide(approve=True), replaces_card=True),
    Act.DECLINE: Button(_decide(approve=False), replaces_card=True),
}


def pressed(rt: TeamsRuntime, activity: Activity) -> dict[str, Any]:
    """Act on a pressed button; the invoke's answer."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action") if isinstance(value.get("action"), dict) else {}
    data = action.get("data") if isinstance(action.get("data"), dict) else {}
    button = _button(str(action.get("verb", "")))

    def produce(actor: Actor, t: Translator) -> Message:
        if button is None:
            raise VerkostoError("teams.not_yet")
        return button.handler(rt, activity, actor, t, data)

    answer = rt.outcome_message(activity, produce)
    if answer is None:
        return {"statusCode": 200, "type": NOTE, "value": ""}
    if button is not None and button.replaces_card:
        return {"statusCode": 200, "type": CARD, "value": card_of(wire(answer))}
    rt.after_response(rt.answer, activity, answer)
    return {"statusCode": 200, "type": NOTE, "value": summary_of(answer)}


def _button(verb: str) -> Button | None:
    """The button for a verb Verkosto sends; None for one that does not work in Teams yet.
    Raises for a verb Verkosto never sent."""
    try:
        act = Act(verb)
    except ValueError:
        return Button(_stale)
    return BUTTONS.get(act)


def _stale(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Message:
    raise InvalidInput("error.stale_action")
