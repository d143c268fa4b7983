"""Buttons on Verkosto's cards in Teams (`Action.Execute`, the `adaptiveCard/action` invoke),
by the core's `Act` that each carries as its verb.

Teams waits for the answer: either a card that replaces the pressed one for whoever pressed it
(`Replace`: a coordinator's request notice once decided; an announcement as it now stands, with
the person's own answer beneath, while everyone else's copy is updated in place by the outbox),
or a short message Teams shows over the card, with the full answer sent to the person's chat
with the bot (joining from a list keeps the list). Joining and leaving answer only in the chat:
Teams gets its answer at once and the work follows, as after the ack of a Slack button."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.card_actions import Act
from bot.domain import Answer, DigestFrequency, row_id
from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.teams import (
    event_cards,
    network_cards,
    poll_cards,
    privacy_cards,
    replies,
    signal_cards,
)
from handlers.teams.activity import Activity
from handlers.teams.cards import Message, card_of, one_line, say, summary_of, wire
from handlers.teams.dialogs import done_message
from handlers.teams.home_card import ON_HOME, home_message
from handlers.teams.replies import error_message
from handlers.teams.runtime import TeamsRuntime
from handlers.teams.runtime import answer as send_answer

CARD = "application/vnd.microsoft.card.adaptive"
NOTE = "application/vnd.microsoft.activity.message"


@dataclass(frozen=True)
class Replace:
    """An answer that replaces the pressed card, for the person who pressed it."""

    message: Message


Shown = Message | Replace
Handler = Callable[[TeamsRuntime, Activity, Actor, Translator, dict[str, Any]], Shown]


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


def _not_interested(
    rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
) -> Shown:
    network = rt.services.recommendations.not_interested(actor, _target(data))
    if data.get("on") == ON_HOME:
        return _refresh_home(rt, activity, actor, t, data)
    return network_cards.not_interested_message(t, network)


def _decide(approve: bool) -> Handler:
    def decide(
        rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
    ) -> Shown:
        decision = rt.services.memberships.decide(actor, _target(data), approve=approve)
        return Replace(rt.runner(activity, actor, t, later=True).after_decision(decision))

    return decide


def _about_event(
    rt: TeamsRuntime, actor: Actor, event_id: int, words: str, data: dict[str, Any]
) -> Shown:
    """On the announcement, the announcement as it now stands with `words` beneath; elsewhere,
    `words`."""
    if data.get("on") != event_cards.ON_ANNOUNCEMENT:
        return done_message(words)
    card = rt.services.events.card(actor.workspace_id, event_id)
    if card is None:
        return done_message(words)
    channel = rt.use_cases.translator(card.language, card.timezone)
    public_url = rt.settings.verkosto_public_url
    return Replace(event_cards.announcement(channel, card, public_url, note=words))


def _answer(answer: Answer) -> Handler:
    def respond(
        rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
    ) -> Shown:
        result = rt.services.events.answer(actor, _target(data), answer)
        rt.send_later(result.queued)
        return _about_event(rt, actor, result.event_id, event_cards.answer_words(t, result), data)

    return respond


def _cancel_event(
    rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
) -> Shown:
    cancelled = rt.services.events.cancel(actor, _target(data))
    rt.send_later(cancelled.queued)
    words = event_cards.cancelled_words(t, cancelled)
    return _about_event(rt, actor, cancelled.event.id, words, data)


def _ids(data: dict[str, Any]) -> tuple[int, int]:
    """A vote's poll and option; anything else is an outdated or forged button."""
    option = row_id(str(data.get("option", "")))
    if option is None:
        raise InvalidInput("error.stale_action")
    return _target(data), option


def _about_poll(rt: TeamsRuntime, actor: Actor, poll_id: int, words: str, data: Any) -> Shown:
    """On the poll, the poll as it now stands with `words` beneath; elsewhere, `words`."""
    if data.get("on") != poll_cards.ON_POLL:
        return done_message(words)
    card = rt.services.polls.card(actor.workspace_id, poll_id)
    if card is None:
        return done_message(words)
    channel = rt.use_cases.translator(card.language, card.timezone)
    now = rt.services.clock.now()
    return Replace(poll_cards.poll_message(channel, card, now, note=words))


def _vote(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Shown:
    poll_id, option_id = _ids(data)
    outcome = rt.services.polls.vote(actor, poll_id, option_id)
    rt.send_later(outcome.queued)
    return _about_poll(rt, actor, poll_id, poll_cards.vote_words(t, outcome), data)


def _nudge(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Shown:
    nudged = rt.services.polls.nudge(actor, _target(data))
    rt.send_later(nudged.queued)
    return _about_poll(rt, actor, _target(data), poll_cards.nudged_words(t, nudged), data)


def _close_poll(
    rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
) -> Shown:
    outcome = rt.services.polls.close(actor, _target(data))
    rt.send_later(outcome.queued)
    return _about_poll(rt, actor, _target(data), poll_cards.closed_words(t, outcome), data)


def _second(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Shown:
    outcome = rt.services.signals.second(actor, _target(data))
    rt.send_later(outcome.queued)
    words = signal_cards.seconded_words(t, outcome)
    if data.get("on") != signal_cards.ON_POST:
        return done_message(words)
    channel = rt.use_cases.translator(outcome.card.language, rt.services.defaults.timezone)
    return Replace(signal_cards.signal_message(channel, outcome.card, note=words))


def _forget(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Shown:
    forgotten = rt.services.privacy.forget(actor)
    rt.forget(actor.team_id, actor.user_id)
    return Replace(privacy_cards.forgotten_message(t, forgotten))


def _digest_off(
    rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
) -> Shown:
    rt.services.people.set_digest_frequency(actor, DigestFrequency.NEVER)
    return replies.frequency_set_message(t, DigestFrequency.NEVER)


def _refresh_home(
    rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any
) -> Shown:
    page = rt.services.home.page(actor)
    return Replace(home_message(t, page, rt.settings.verkosto_public_url))


BUTTONS: dict[Act, Handler] = {
    Act.REFRESH_HOME: _refresh_home,
    Act.DIGEST_OFF: _digest_off,
    Act.FORGET_ME: _forget,
    Act.SECOND_SIGNAL: _second,
    Act.VOTE: _vote,
    Act.NUDGE: _nudge,
    Act.CLOSE_POLL: _close_poll,
    Act.JOIN: _join,
    Act.LEAVE: _leave,
    Act.NOT_INTERESTED: _not_interested,
    Act.APPROVE: _decide(approve=True),
    Act.DECLINE: _decide(approve=False),
    Act.GOING: _answer(Answer.GOING),
    Act.MAYBE: _answer(Answer.MAYBE),
    Act.NOT_GOING: _answer(Answer.NOT_GOING),
    Act.CANCEL_EVENT: _cancel_event,
}


# Buttons whose answer goes to the person's chat rather than onto the card: Teams shows a line at
# once and the work runs after the answer, as it does after the ack of a Slack button.
IN_CHAT = frozenset({Act.JOIN, Act.LEAVE})


def pressed(rt: TeamsRuntime, activity: Activity) -> dict[str, Any]:
    """Act on a pressed button; the invoke's answer."""
    if _act(activity) in IN_CHAT:
        rt.after_response(answer_in_chat, activity)
        note = say(rt.translator_of(activity), "teams.answer_in_chat")
        return {"statusCode": 200, "type": NOTE, "value": one_line(note)}
    answer = _shown(rt, activity)
    if isinstance(answer, Replace):
        return {"statusCode": 200, "type": CARD, "value": card_of(wire(answer.message))}
    rt.after_response(send_answer, activity, answer)
    return {"statusCode": 200, "type": NOTE, "value": summary_of(answer)}


def answer_in_chat(rt: TeamsRuntime, activity: Activity) -> None:
    """Work after the answer: act on a button of `IN_CHAT` and answer in the person's chat."""
    answer = _shown(rt, activity)
    rt.answer(activity, answer.message if isinstance(answer, Replace) else answer)


def _shown(rt: TeamsRuntime, activity: Activity) -> Shown:
    """What pressing the button shows the person, or the error in their words."""
    data = _action(activity).get("data")
    data = data if isinstance(data, dict) else {}
    act = _act(activity)
    handler = BUTTONS.get(act, _stale) if act is not None else _stale

    def produce(actor: Actor, t: Translator) -> Shown:
        return handler(rt, activity, actor, t, data)

    outcome = rt.use_cases.run(activity.caller, rt.profile(activity), produce)
    if outcome.error is not None:
        return error_message(outcome.t, outcome.error)
    assert outcome.result is not None
    return outcome.result


def _action(activity: Activity) -> dict[str, Any]:
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    return action if isinstance(action, dict) else {}


def _act(activity: Activity) -> Act | None:
    """What the pressed button does; None for a verb Verkosto never sent as `Action.Execute`
    (outdated or forged)."""
    try:
        return Act(str(_action(activity).get("verb", "")))
    except ValueError:
        return None


def _stale(rt: TeamsRuntime, activity: Activity, actor: Actor, t: Translator, data: Any) -> Shown:
    raise InvalidInput("error.stale_action")
