"""Buttons: join, leave, details, not interested, more results, and coordinators' approve and
decline."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.commands import MAX_NAME_LENGTH, Command, PollAction, PollRequest, Verb
from bot.domain import Answer, Category, DigestFrequency, Scope, row_id
from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.slack import home_render, privacy_render
from handlers.slack.answers import runner_for
from handlers.slack.blocks import ActionId, Reply
from handlers.slack.digest_render import frequency_set_reply
from handlers.slack.event_modal import EventFormContext, event_modal
from handlers.slack.event_render import answer_reply, cancelled_reply
from handlers.slack.home import publish_home
from handlers.slack.network_render import not_interested_reply, search_reply
from handlers.slack.payloads import Sender
from handlers.slack.poll_modal import comment_modal, option_modal
from handlers.slack.poll_render import closed_reply, nudged_reply, vote_reply
from handlers.slack.runtime import Runtime
from handlers.slack.signal_render import seconded_reply

Handler = Callable[[Runtime, Sender, Actor, Translator, str], Reply | None]
MAX_VALUE_LENGTH = 2000


def _id(value: str) -> int:
    """A row id from a button value; anything else is an outdated or forged button."""
    number = row_id(value)
    if number is None:
        raise InvalidInput("error.stale_action")
    return number


def _join(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    outcome = rt.services.memberships.join(actor, network_id=_id(value))
    return runner_for(rt, sender, actor, t).after_join(outcome)


def _leave(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    outcome = rt.services.memberships.leave(actor, network_id=_id(value))
    return runner_for(rt, sender, actor, t).after_leave(outcome)


def _info(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    detail = rt.services.networks.info_by_id(actor, _id(value))
    return runner_for(rt, sender, actor, t).info_of(detail)


def _not_interested(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    network = rt.services.recommendations.not_interested(actor, _id(value))
    return not_interested_reply(t, network)


def _more(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    try:
        page = json.loads(value)
        query = page["q"]
        category = Category(page["c"]) if page["c"] else None
        scopes = tuple(Scope(scope) for scope in page["s"])
        offset = page["o"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput("error.stale_action") from error
    if not isinstance(query, str) or not isinstance(offset, int) or not 0 <= offset < 10_000:
        raise InvalidInput("error.stale_action")
    result = rt.services.networks.search(actor, query[:200], category, scopes, offset=offset)
    return search_reply(t, result)


def _decide(approve: bool) -> Handler:
    def decide(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
        decision = rt.services.memberships.decide(actor, _id(value), approve=approve)
        return runner_for(rt, sender, actor, t).after_decision(decision)

    return decide


def _answer(answer: Answer) -> Handler:
    def respond(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
        result = rt.services.events.answer(actor, _id(value), answer)
        rt.send_queued(result.queued)
        return answer_reply(t, result)

    return respond


def _edit_event(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    form = rt.services.events.editable(actor, _id(value))
    context = EventFormContext(form.network.id, sender.channel_id or "", event_id=form.event_id)
    rt.platform.open_form(sender.trigger_id, event_modal(t, context, form).to_dict())


def _cancel_event(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    cancelled = rt.services.events.cancel(actor, _id(value))
    rt.send_queued(cancelled.queued)
    return cancelled_reply(t, cancelled)


def _ids(value: str) -> tuple[int, int]:
    """A vote button's poll and option ids; anything else is an outdated or forged button."""
    poll, _, option = value.partition(":")
    return _id(poll), _id(option)


def _vote(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    poll_id, option_id = _ids(value)
    outcome = rt.services.polls.vote(actor, poll_id, option_id)
    rt.send_queued(outcome.queued)
    return vote_reply(t, outcome)


def _add_option(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    rt.services.polls.may_add_option(actor, _id(value))
    rt.platform.open_form(sender.trigger_id, option_modal(t, _id(value)).to_dict())


def _comment(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    rt.services.polls.may_comment(actor, _id(value))
    rt.platform.open_form(sender.trigger_id, comment_modal(t, _id(value)).to_dict())


def _nudge(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    nudged = rt.services.polls.nudge(actor, _id(value))
    rt.send_queued(nudged.queued)
    return nudged_reply(t, nudged)


def _close_poll(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    outcome = rt.services.polls.close(actor, _id(value))
    rt.send_queued(outcome.queued)
    return closed_reply(t, outcome)


def _second_signal(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    outcome = rt.services.signals.second(actor, _id(value))
    rt.send_queued(outcome.queued)
    return seconded_reply(t, outcome)


def _digest_off(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    rt.services.people.set_digest_frequency(actor, DigestFrequency.NEVER)
    return frequency_set_reply(t, DigestFrequency.NEVER)


def _forget_me(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> Reply:
    if value != privacy_render.FORGET:
        raise InvalidInput("error.stale_action")
    return privacy_render.forgotten_reply(t, rt.services.privacy.forget(actor))


def _home_all(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    page = rt.services.home.page(actor)
    view = home_render.all_of(t, page, value, rt.settings.verkosto_public_url)
    rt.platform.open_form(sender.trigger_id, view.to_dict())


def _home_search(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    rt.platform.open_form(sender.trigger_id, home_render.search_modal(t).to_dict())


def _home_command(verb: Verb, **given: Any) -> Handler:
    """A coordinator's quick action on the Home: the same as typing the command for the network
    (the button's value is its short name)."""

    def handler(
        rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str
    ) -> Reply | None:
        return runner_for(rt, sender, actor, t).run(Command(verb, name=_name(value), **given))

    return handler


def _home_language(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    rt.services.people.set_language(actor, value)


def _home_reminders(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    if value not in ("on", "off"):
        raise InvalidInput("error.stale_action")
    rt.services.people.set_reminders(actor, value == "on")


def _home_digest(rt: Runtime, sender: Sender, actor: Actor, t: Translator, value: str) -> None:
    if value not in set(DigestFrequency):
        raise InvalidInput("error.stale_action")
    rt.services.people.set_digest_frequency(actor, DigestFrequency(value))


def _name(value: str) -> str:
    if not value or len(value) > MAX_NAME_LENGTH:
        raise InvalidInput("error.stale_action")
    return value


HANDLERS: dict[ActionId, Handler] = {
    ActionId.JOIN: _join,
    ActionId.LEAVE: _leave,
    ActionId.INFO: _info,
    ActionId.NOT_INTERESTED: _not_interested,
    ActionId.MORE: _more,
    ActionId.APPROVE: _decide(approve=True),
    ActionId.DECLINE: _decide(approve=False),
    ActionId.GOING: _answer(Answer.GOING),
    ActionId.MAYBE: _answer(Answer.MAYBE),
    ActionId.NOT_GOING: _answer(Answer.NOT_GOING),
    ActionId.EDIT_EVENT: _edit_event,
    ActionId.CANCEL_EVENT: _cancel_event,
    ActionId.VOTE: _vote,
    ActionId.ADD_OPTION: _add_option,
    ActionId.COMMENT: _comment,
    ActionId.NUDGE: _nudge,
    ActionId.CLOSE_POLL: _close_poll,
    ActionId.SECOND_SIGNAL: _second_signal,
    ActionId.DIGEST_OFF: _digest_off,
    ActionId.FORGET_ME: _forget_me,
    ActionId.HOME_ALL: _home_all,
    ActionId.HOME_SEARCH: _home_search,
    ActionId.HOME_EVENT: _home_command(Verb.EVENT),
    ActionId.HOME_POLL: _home_command(Verb.POLL, poll=PollRequest(PollAction.FORM)),
    ActionId.HOME_REPORT: _home_command(Verb.REPORT),
    ActionId.HOME_LANGUAGE: _home_language,
    ActionId.HOME_REMINDERS: _home_reminders,
    ActionId.HOME_DIGEST: _home_digest,
}


def answer_action(rt: Runtime, body: dict[str, Any], action: dict[str, Any]) -> None:
    """Act on a button press and answer the person privately."""
    sender = Sender.of_interaction(body)
    handler = HANDLERS[ActionId.of(action["action_id"])]
    # A button carries a value; a menu, the value of the option chosen.
    option = action.get("selected_option")
    value = action.get("value") or (option.get("value") if isinstance(option, dict) else None)
    raw = value if isinstance(value, str) and len(value) <= MAX_VALUE_LENGTH else ""

    def produce(actor: Actor, t: Translator) -> Reply | None:
        return handler(rt, sender, actor, t, raw)

    # Buttons on the Home tab and in modals have no response URL: the answer comes by direct
    # message, and the Home is shown again as it now stands.
    rt.answer(sender, body.get("response_url"), produce)
    if (body.get("view") or {}).get("type") == "home":
        publish_home(rt, sender)


def register(app: App, rt: Runtime) -> None:
    def pressed(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        rt.after_ack(answer_action, body, action)

    def opened_link(ack: Ack) -> None:
        # A link button opens its URL in the browser; Slack still tells the app, which acks.
        ack()

    for action_id in HANDLERS:
        app.action(re.compile(rf"^{re.escape(action_id.value)}(\.\d+)?$"))(pressed)
    app.action(ActionId.CALENDAR.value)(opened_link)
