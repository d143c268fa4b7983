"""Dialogs in Teams: `task/fetch` shows a form, `task/submit` saves it. Each form is named in
its button's data (`dialogs.FORM`); mistakes come back on the form, anything else the person
should hear comes to their chat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.domain import row_id
from bot.errors import FormInvalid, InvalidInput, VerkostoError
from bot.i18n import Translator
from bot.results.people import Actor
from bot.services import message_keys
from bot.services.events import EditableEvent
from bot.services.network_fields import NetworkForm
from bot.services.poll_fields import MAX_OPTION_LENGTH
from bot.services.signals import SignalSource
from handlers.teams import event_dialog, network_dialog, poll_dialog, signal_cards
from handlers.teams.activity import Activity
from handlers.teams.cards import say, summary_of
from handlers.teams.dialogs import (
    FORM,
    closed,
    context_number,
    dialog,
    done_message,
    errors_of,
    submitted,
)
from handlers.teams.replies import error_message
from handlers.teams.runtime import TeamsRuntime, conversation_of

Answer = dict[str, Any]
# Where Teams' links to messages point.
TEAMS_HOST = "teams.microsoft.com"


@dataclass(frozen=True)
class Saved:
    """A form saved: what to tell the person in their chat, what to send now, and what to
    tell them instead if the message keyed `watched` cannot go."""

    words: str
    queued: tuple[int, ...] = ()
    watched: str | None = None
    if_refused: str = ""


Context = dict[str, Any]
Data = dict[str, Any]
Show = Callable[[TeamsRuntime, Actor, Translator, Context, Data | None, dict[str, str]], Answer]
Save = Callable[[TeamsRuntime, Actor, Translator, Context, Data], Saved]


@dataclass(frozen=True)
class Form:
    """How a form is shown (`show(rt, actor, t, context, submitted, errors)`: as it stands, or
    as it was submitted with its mistakes) and saved (`save(rt, actor, t, context, data)`,
    raising `FormInvalid` for mistakes)."""

    show: Show
    save: Save
    fields: tuple[str, ...]
    # The core's name of a field that the form shows under another name.
    shown_as: dict[str, str] = field(default_factory=dict)


def _channel(rt: TeamsRuntime, actor: Actor, context: dict[str, Any]) -> str | None:
    """The conversation a form was opened from: only one the bot has met in the person's own
    tenant (a form's context comes back from the client, and is not taken on trust)."""
    conversation = context.get("conversation")
    if not isinstance(conversation, str) or not conversation:
        return None
    address = rt.services.addresses.find(conversation)
    return conversation if address and address.workspace_id == actor.team_id else None


def _teams_link(value: object) -> str | None:
    """A link to a Teams message, or nothing: a form's context is not taken on trust."""
    if isinstance(value, str) and len(value) <= 500:
        parts = urlsplit(value)
        if parts.scheme == "https" and parts.hostname == TEAMS_HOST:
            return value
    return None


def _network_values(rt: TeamsRuntime, actor: Actor, context: Context) -> dict[str, Any] | None:
    network_id = context_number(context, "network")
    if network_id is None:
        return None
    editable = rt.services.networks.editable_by_id(actor, network_id)
    return editable.form.model_dump()


def _show_network(
    rt: TeamsRuntime,
    actor: Actor,
    t: Translator,
    context: Context,
    data: Data | None,
    errors: dict[str, str],
) -> Answer:
    current = _network_values(rt, actor, context)
    if data is not None:
        shown = network_dialog.submitted_network(data, current, _channel(rt, actor, context))
    else:
        shown = current or NetworkForm.model_construct(category=None).model_dump()
    body = network_dialog.network_form(
        t, shown, errors, editing=current is not None, channel=_channel(rt, actor, context)
    )
    title = t("form.title_edit" if current is not None else "form.title_create")
    return dialog(title, body, t("form.submit"), **{FORM: network_dialog.FORM, **context})


def _save_network(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    current = _network_values(rt, actor, context)
    values = network_dialog.submitted_network(data, current, _channel(rt, actor, context))
    network_id = context_number(context, "network")
    if network_id is None:
        detail = rt.services.networks.create(actor, values)
    else:
        detail = rt.services.networks.update(actor, network_id, values)
    return Saved(network_dialog.saved_words(t, detail, created=network_id is None))


def _editable_event(rt: TeamsRuntime, actor: Actor, context: Context) -> EditableEvent:
    event_id = context_number(context, "event")
    if event_id is not None:
        return rt.services.events.editable(actor, event_id)
    network_id = context_number(context, "network")
    if network_id is None:
        raise VerkostoError("error.stale_action")
    return rt.services.events.new_form_by_id(actor, network_id)


def _show_event(
    rt: TeamsRuntime,
    actor: Actor,
    t: Translator,
    context: Context,
    data: Data | None,
    errors: dict[str, str],
) -> Answer:
    form = _editable_event(rt, actor, context)
    shown = dict(data) if data is not None else event_dialog.current_values(form)
    editing = form.event_id is not None
    title = t(
        f"{event_dialog.PREFIX}.title_edit" if editing else f"{event_dialog.PREFIX}.title_new"
    )
    submit = t(f"{event_dialog.PREFIX}.submit_edit" if editing else f"{event_dialog.PREFIX}.submit")
    body = event_dialog.event_form(t, form, shown, errors)
    return dialog(title, body, submit, **{FORM: event_dialog.FORM, **context})


def _save_event(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    values = event_dialog.submitted_event(data)
    event_id = context_number(context, "event")
    if event_id is not None:
        saved = rt.services.events.update(actor, event_id, values)
    else:
        network_id = context_number(context, "network")
        if network_id is None:
            raise VerkostoError("error.stale_action")
        saved = rt.services.events.create(
            actor, network_id, _channel(rt, actor, context) or "", values
        )
    refused = say(t, "teams.event_not_posted")
    key = message_keys.announcement(saved.event.id) if saved.created else None
    return Saved(event_dialog.saved_words(t, saved), saved.queued, key, refused)


def _poll_id(context: Context) -> int:
    poll_id = context_number(context, "poll")
    if poll_id is None:
        raise VerkostoError("error.stale_action")
    return poll_id


def _show_poll(
    rt: TeamsRuntime,
    actor: Actor,
    t: Translator,
    context: Context,
    data: Data | None,
    errors: dict[str, str],
) -> Answer:
    network_id = context_number(context, "network")
    if network_id is None:
        raise VerkostoError("error.stale_action")
    form = rt.services.polls.new_form_by_id(actor, network_id)
    body = poll_dialog.poll_form(t, form, data or {}, errors)
    prefix = poll_dialog.PREFIX
    return dialog(
        t(f"{prefix}.title"), body, t(f"{prefix}.submit"), **{FORM: poll_dialog.FORM, **context}
    )


def _save_poll(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    network_id = context_number(context, "network")
    if network_id is None:
        raise VerkostoError("error.stale_action")
    values = poll_dialog.submitted_poll(data, actor.timezone)
    saved = rt.services.polls.create(
        actor, _channel(rt, actor, context) or "", values, network_id=network_id
    )
    words = say(t, "teams.poll_posted", question=saved.poll.question, id=saved.poll.id)
    return Saved(words, saved.queued)


def _small(form: str, field: str, limit: int) -> Show:
    def show(
        rt: TeamsRuntime,
        actor: Actor,
        t: Translator,
        context: Context,
        data: Data | None,
        errors: dict[str, str],
    ) -> Answer:
        poll_id = _poll_id(context)
        if form == poll_dialog.OPTION_FORM:
            rt.services.polls.may_add_option(actor, poll_id)
        else:
            rt.services.polls.may_comment(actor, poll_id)
        body = poll_dialog.small_form(t, field, data or {}, errors, limit)
        prefix = poll_dialog.PREFIX
        title, submit = t(f"{prefix}.{field}_title"), t(f"{prefix}.submit_small")
        return dialog(title, body, submit, **{FORM: form, **context})

    return show


def _save_option(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    label = str(data.get("option") or "")
    outcome = rt.services.polls.add_option(actor, _poll_id(context), label)
    return Saved(say(t, "poll.option_added", option=label), outcome.queued)


def _save_comment(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    outcome = rt.services.polls.comment(actor, _poll_id(context), str(data.get("comment") or ""))
    return Saved(say(t, "feedback.thanks"), outcome.queued)


def _show_signal(
    rt: TeamsRuntime,
    actor: Actor,
    t: Translator,
    context: Context,
    data: Data | None,
    errors: dict[str, str],
) -> Answer:
    mine = rt.services.memberships.mine(actor)
    body = signal_cards.signal_form(t, mine, data or {}, errors)
    title, submit = t(f"{signal_cards.PREFIX}.title"), t(f"{signal_cards.PREFIX}.submit")
    return dialog(title, body, submit, **{FORM: signal_cards.FORM, **context})


def _save_signal(
    rt: TeamsRuntime, actor: Actor, t: Translator, context: Context, data: Data
) -> Saved:
    network_id = row_id(str(data.get("network") or ""))
    if network_id is None:
        raise FormInvalid([InvalidInput("error.signal.choose_network", field="network")])
    conversation, ref = _channel(rt, actor, context), context.get("message")
    source = None
    if conversation and isinstance(ref, str) and ref:
        source = SignalSource(conversation, ref[:255], _teams_link(context.get("link")))
    words = str(data.get("text") or "")
    try:
        saved = rt.services.signals.record(actor, words, network_id=network_id, source=source)
    except InvalidInput as problem:
        if problem.field is None:
            raise
        raise FormInvalid([problem]) from problem
    return Saved(signal_cards.saved_words(t, saved), saved.queued)


FORMS: dict[str, Form] = {
    signal_cards.FORM: Form(_show_signal, _save_signal, signal_cards.FIELDS),
    poll_dialog.FORM: Form(_show_poll, _save_poll, poll_dialog.FIELDS, poll_dialog.SHOWN_AS),
    poll_dialog.OPTION_FORM: Form(
        _small(poll_dialog.OPTION_FORM, "option", MAX_OPTION_LENGTH), _save_option, ("option",)
    ),
    poll_dialog.COMMENT_FORM: Form(
        _small(poll_dialog.COMMENT_FORM, "comment", poll_dialog.COMMENT_LENGTH),
        _save_comment,
        ("comment",),
    ),
    network_dialog.FORM: Form(_show_network, _save_network, network_dialog.FIELDS),
    event_dialog.FORM: Form(_show_event, _save_event, event_dialog.FIELDS, event_dialog.SHOWN_AS),
}


CONTEXT = ("network", "event", "poll", "conversation", "message", "link")


def _context(data: dict[str, Any]) -> dict[str, Any]:
    """What the bot put in the form's buttons, without the fields' values."""
    return {key: data[key] for key in CONTEXT if key in data}


def _problem(error: VerkostoError, t: Translator) -> Answer:
    """A dialog that could not be shown or saved for a reason beyond its fields: said in the
    dialog's place."""
    return {"task": {"type": "message", "value": summary_of(error_message(t, error))}}


def fetch(rt: TeamsRuntime, activity: Activity) -> Answer:
    """`task/fetch`: the form the button names, as it stands."""
    data = submitted(activity.value)
    form = FORMS.get(str(data.get(FORM)))
    outcome = rt.use_cases.run(
        activity.caller,
        rt.profile(activity),
        lambda actor, t: _shown(rt, form, actor, t, _context(data)),
    )
    if outcome.error is not None:
        return _problem(outcome.error, outcome.t)
    assert outcome.result is not None
    return outcome.result


def fetch_message_action(rt: TeamsRuntime, activity: Activity) -> Answer:
    """`composeExtension/fetchTask` from "Save as weak signal" on a message: the signal form,
    with the message's words to edit."""
    value = activity.value if isinstance(activity.value, dict) else {}
    payload = value.get("messagePayload")
    payload = payload if isinstance(payload, dict) else {}
    context: Context = {"conversation": conversation_of(activity.conversation_id)}
    if isinstance(payload.get("id"), str):
        context["message"] = payload["id"][:255]
    link = _teams_link(payload.get("linkToMessage"))
    if link:
        context["link"] = link
    words = {"text": signal_cards.message_text(payload)}
    outcome = rt.use_cases.run(
        activity.caller,
        rt.profile(activity),
        lambda actor, t: _show_signal(rt, actor, t, context, words, {}),
    )
    if outcome.error is not None:
        return _problem(outcome.error, outcome.t)
    assert outcome.result is not None
    return outcome.result


def _shown(
    rt: TeamsRuntime, form: Form | None, actor: Actor, t: Translator, context: dict[str, Any]
) -> Answer:
    if form is None:
        raise VerkostoError("error.stale_action")
    return form.show(rt, actor, t, context, None, {})


def submit(rt: TeamsRuntime, activity: Activity) -> Answer:
    """`task/submit`: save the form; show it again with its mistakes, or close it and tell the
    person in their chat."""
    data = submitted(activity.value)
    form = FORMS.get(str(data.get(FORM)))
    context = _context(data)

    def save(actor: Actor, t: Translator) -> Saved:
        if form is None:
            raise VerkostoError("error.stale_action")
        return form.save(rt, actor, t, context, data)

    outcome = rt.use_cases.run(activity.caller, rt.profile(activity), save)
    t = outcome.t
    if isinstance(outcome.error, FormInvalid) and form is not None:
        errors = errors_of(t, outcome.error, form.fields, form.shown_as)
        again = rt.use_cases.run(
            activity.caller,
            rt.profile(activity),
            lambda actor, t: form.show(rt, actor, t, context, data, errors),
        )
        if again.result is not None:
            return again.result
    if outcome.error is not None:
        return _problem(outcome.error, t)
    assert outcome.result is not None
    rt.after_response(_deliver_and_tell, activity, outcome.result)
    return closed()


def _deliver_and_tell(rt: TeamsRuntime, activity: Activity, saved: Saved) -> None:
    """Once the dialog has closed: send what saving queued, and tell the person how it went."""
    report = rt.send_queued(saved.queued)
    words = saved.words
    if any(key == saved.watched for key, _ in report.failed):
        words = saved.if_refused
    rt.answer(activity, done_message(words))
