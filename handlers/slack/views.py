"""Modal submissions. Forms are saved before the ack, so that mistakes are shown on the fields
themselves (`response_action: errors`); what follows a save runs after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.models.views import View

from bot.errors import FormInvalid, InvalidInput, VerkostoError
from bot.i18n import Translator
from bot.results.events import EventSaved
from bot.results.networks import NetworkDetail
from bot.results.people import Actor
from bot.services import message_keys
from bot.services.signals import SignalSource
from handlers.slack import event_modal, home_render, modals, poll_modal, signal_modal
from handlers.slack.event_render import announcement_failed
from handlers.slack.markup import say
from handlers.slack.membership_render import invite_bot_notice
from handlers.slack.modals import done_modal, field_errors, problem_modal
from handlers.slack.payloads import Sender
from handlers.slack.reply_render import error_reply
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)

FollowUp = tuple[Callable[..., None], tuple[Any, ...]]
Save = Callable[[Actor, Translator, dict[str, Any]], tuple[View, FollowUp | None]]


def _submitted(rt: Runtime, save: Save) -> Callable[..., None]:
    """A view_submission listener around `save(actor, t, view)`, which returns the view to
    show next and the work to run after the ack (a module-level function and its payload), if
    any."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        sender = Sender.of_interaction(body)
        outcome = rt.use_cases.run(
            rt.caller(sender), rt.profiles, lambda actor, t: save(actor, t, view)
        )
        t = outcome.t
        if isinstance(outcome.error, FormInvalid):
            ack(response_action="errors", errors=field_errors(t, outcome.error, view))
            return
        if outcome.error is not None:
            ack(
                response_action="update",
                view=problem_modal(t, error_reply(t, outcome.error)).to_dict(),
            )
            return
        assert outcome.result is not None
        done, follow_up = outcome.result
        ack(response_action="update", view=done.to_dict())
        if follow_up is not None:
            work, payload = follow_up
            rt.after_ack(work, *payload)

    return listener


def register(app: App, rt: Runtime) -> None:
    def save_network(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        form = modals.FormContext.decode(view.get("private_metadata"))
        values = modals.submitted_values(view)
        if form.network_id is None:
            detail = rt.services.networks.create(actor, values)
        else:
            detail = rt.services.networks.update(actor, form.network_id, values)
        done = modals.saved_modal(t, detail, created=form.network_id is None)
        return done, (check_channel, (actor, detail))

    def save_event(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        form = event_modal.EventFormContext.decode(view.get("private_metadata"))
        values = event_modal.submitted_event_values(view)
        if form.event_id is not None:
            saved = rt.services.events.update(actor, form.event_id, values)
        elif form.network_id is not None:
            saved = rt.services.events.create(actor, form.network_id, form.channel_id, values)
        else:
            raise VerkostoError("error.stale_action")
        return event_modal.event_saved_modal(t, saved), (announce, (actor, saved))

    def save_poll(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        form = poll_modal.PollFormContext.decode(view.get("private_metadata"))
        if form.network_id is None:
            raise VerkostoError("error.stale_action")
        values = poll_modal.submitted_poll_values(view)
        saved = rt.services.polls.create(actor, form.channel_id, values, network_id=form.network_id)
        return poll_modal.poll_saved_modal(t, saved), (send_queued, (saved.queued,))

    def save_option(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        label = poll_modal.submitted_text(view, "option")
        outcome = rt.services.polls.add_option(actor, _poll_id(view), label)
        done = done_modal(
            t, poll_modal.OPTION_CALLBACK_ID, say(t, "poll.option_added", option=label)
        )
        return done, (send_queued, (outcome.queued,))

    def save_comment(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        text = poll_modal.submitted_text(view, "comment")
        outcome = rt.services.polls.comment(actor, _poll_id(view), text)
        done = done_modal(t, poll_modal.COMMENT_CALLBACK_ID, say(t, "feedback.thanks"))
        return done, (send_queued, (outcome.queued,))

    def save_signal(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, FollowUp]:
        context = signal_modal.SignalFormContext.decode(view.get("private_metadata"))
        if context is None:
            raise VerkostoError("error.stale_action")
        network_id, text = signal_modal.submitted_signal(view)
        if network_id is None:
            raise FormInvalid([InvalidInput("error.signal.choose_network", field="network")])
        permalink = rt.platform.permalink(context.channel_id, context.message_ts)
        source = SignalSource(context.channel_id, context.message_ts, permalink)
        try:
            saved = rt.services.signals.record(actor, text, network_id=network_id, source=source)
        except InvalidInput as problem:
            if problem.field is None:
                raise
            raise FormInvalid([problem]) from problem
        return signal_modal.signal_saved_modal(t, saved), (send_queued, (saved.queued,))

    def search(actor: Actor, t: Translator, view: dict[str, Any]) -> tuple[View, None]:
        query, category, scopes = home_render.submitted_search(view)
        result = rt.services.networks.search(actor, query, category, scopes)
        return home_render.search_results(t, result), None

    app.view(modals.CALLBACK_ID)(_submitted(rt, save_network))
    app.view(home_render.SEARCH_CALLBACK_ID)(_submitted(rt, search))
    app.view(signal_modal.CALLBACK_ID)(_submitted(rt, save_signal))
    app.view(poll_modal.CALLBACK_ID)(_submitted(rt, save_poll))
    app.view(poll_modal.OPTION_CALLBACK_ID)(_submitted(rt, save_option))
    app.view(poll_modal.COMMENT_CALLBACK_ID)(_submitted(rt, save_comment))
    app.view(event_modal.CALLBACK_ID)(_submitted(rt, save_event))


def check_channel(rt: Runtime, actor: Actor, detail: NetworkDetail) -> None:
    """A linked channel is only useful if the bot is in it to add new members."""
    channel_id = detail.channel_id
    if channel_id and rt.platform.bot_is_in(channel_id) is False:
        notice = invite_bot_notice(rt.use_cases.translator_for(actor), channel_id)
        rt.tell(actor.user_id, notice)


def _poll_id(view: dict[str, Any]) -> int:
    poll_id = poll_modal.poll_id_of(view.get("private_metadata"))
    if poll_id is None:
        raise VerkostoError("error.stale_action")
    return poll_id


def send_queued(rt: Runtime, message_ids: tuple[int, ...]) -> None:
    rt.send_queued(message_ids)


def announce(rt: Runtime, actor: Actor, saved: EventSaved) -> None:
    """Post the announcement (or the change notices) now; if Slack will not take the
    announcement, tell the person who made it why, and what to do."""
    report = rt.send_queued(saved.queued)
    announcement = message_keys.announcement(saved.event.id)
    for key, reason in report.failed:
        if key == announcement:
            notice = announcement_failed(
                rt.use_cases.translator_for(actor), saved.channel_id, reason
            )
            rt.tell(actor.user_id, notice)
