"""The `/network` slash command: ack at once, then parse, run the use case and answer privately."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App

from bot import exports
from bot.commands import Command, PollAction, PrivacyAction, parse
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.slack import digest_render, privacy_render, report_render, signal_render
from handlers.slack.blocks import Reply
from handlers.slack.event_modal import EventFormContext, event_modal
from handlers.slack.event_render import listing_reply
from handlers.slack.follow_up import after_join, after_leave, after_role_change, info_reply
from handlers.slack.membership_render import members_reply, memberships_reply
from handlers.slack.modals import FormContext, network_modal
from handlers.slack.network_render import recommendations_reply, search_reply
from handlers.slack.payloads import Sender, tokenize
from handlers.slack.poll_modal import PollFormContext, poll_modal
from handlers.slack.poll_render import export_note, export_reply, posted_reply, results_reply
from handlers.slack.reply_render import (
    help_reply,
    language_set_reply,
    reminders_set_reply,
    settings_reply,
)
from handlers.slack.runtime import Runtime


class Invocation:
    """One run of `/network`: the parsed command and everything needed to answer it."""

    def __init__(self, rt: Runtime, sender: Sender, actor: Actor, t: Translator) -> None:
        self.rt = rt
        self.sender = sender
        self.actor = actor
        self.t = t
        self.services = rt.services

    def help(self, command: Command) -> Reply:
        return help_reply(self.t)

    def list(self, command: Command) -> Reply:
        result = self.services.networks.search(
            self.actor, command.query, command.category, command.scopes
        )
        return search_reply(self.t, result)

    def info(self, command: Command) -> Reply:
        detail = self.services.networks.info(self.actor, command.name)
        return info_reply(self.rt, self.t, self.actor, detail)

    def create(self, command: Command) -> None:
        context = FormContext(network_id=None)
        self._open(network_modal(self.t, context, None).to_dict())

    def edit(self, command: Command) -> None:
        editable = self.services.networks.editable(self.actor, command.name)
        context = FormContext(network_id=editable.network_id)
        self._open(network_modal(self.t, context, editable.form).to_dict())

    def join(self, command: Command) -> Reply:
        outcome = self.services.memberships.join(self.actor, name=command.name)
        return after_join(self.rt, self.t, self.actor, outcome)

    def leave(self, command: Command) -> Reply:
        return after_leave(
            self.rt, self.t, self.services.memberships.leave(self.actor, name=command.name)
        )

    def mine(self, command: Command) -> Reply:
        return memberships_reply(self.t, self.services.memberships.mine(self.actor))

    def members(self, command: Command) -> Reply:
        return members_reply(self.t, self.services.memberships.members(self.actor, command.name))

    def role(self, command: Command) -> Reply:
        assert command.role is not None
        self.services.people.ensure(self.actor, command.user_id, self.rt.profiles)
        change = self.services.memberships.set_role(
            self.actor, command.name, command.user_id, command.role
        )
        return after_role_change(self.rt, self.t, self.actor, change)

    def event(self, command: Command) -> None:
        form = self.services.events.new_form(self.actor, command.name)
        context = EventFormContext(form.network.id, self.sender.channel_id or "")
        self._open(event_modal(self.t, context, form).to_dict())

    def events(self, command: Command) -> Reply:
        listing = self.services.events.upcoming(self.actor, command.name or None)
        return listing_reply(self.t, listing, self.rt.settings.verkosto_public_url)

    def poll(self, command: Command) -> Reply | None:
        request = command.poll
        assert request is not None
        polls = self.services.polls
        if request.action is PollAction.FORM:
            form = polls.new_form(self.actor, command.name)
            context = PollFormContext(form.network.id, self.sender.channel_id or "")
            self._open(poll_modal(self.t, context, form).to_dict())
            return None
        if request.action is PollAction.RESULTS:
            return results_reply(self.t, polls.results(self.actor, request.poll_id), self.now())
        if request.action is PollAction.EXPORT:
            card, table = polls.export(self.actor, request.poll_id)
            files = exports.poll_files(card, table)
            sent = self.rt.platform.send_files(self.actor.user_id, files, export_note(self.t, card))
            return export_reply(self.t, card, sent)
        values = {
            "question": request.question,
            "options": request.options,
            "kind": request.kind,
            "multiple": request.multiple,
            "anonymous": request.anonymous,
            "closes_at": polls.closing_time(request.closes, self.actor.timezone),
        }
        saved = polls.create(self.actor, self.sender.channel_id or "", values, name=command.name)
        self.rt.send_queued(saved.queued)
        return posted_reply(self.t, saved.poll, saved.channel_id)

    def now(self) -> datetime:
        return self.services.clock.now()

    def similar(self, command: Command) -> Reply:
        found = self.services.recommendations.similar(self.actor, command.name)
        return recommendations_reply(self.t, found)

    def suggest(self, command: Command) -> Reply:
        return recommendations_reply(self.t, self.services.recommendations.for_person(self.actor))

    def signal(self, command: Command) -> Reply:
        saved = self.services.signals.record(
            self.actor,
            command.text,
            name=command.name,
            words_after_unquoted_name=command.after_unquoted_name,
        )
        self.rt.send_queued(saved.queued)
        return signal_render.saved_reply(self.t, saved)

    def signals(self, command: Command) -> Reply:
        signals = self.services.signals
        if not command.export:
            return signal_render.listing_reply(self.t, signals.recent(self.actor, command.name))
        listing, table = signals.export(self.actor, command.name)
        sent = self.rt.platform.send_files(
            self.actor.user_id,
            exports.signal_files(listing, table),
            signal_render.export_note(self.t, listing),
        )
        return signal_render.export_reply(self.t, listing, sent)

    def digest(self, command: Command) -> Reply:
        preview, schedule = self.services.digests.preview(self.actor, command.name)
        return digest_render.preview_reply(self.t, preview, schedule)

    def report(self, command: Command) -> Reply:
        report = self.services.reports.report(self.actor, command.name, command.period)
        files = exports.report_files(report, self.t, self.actor.timezone)
        comment = report_render.report_comment(self.t, report)
        sent = self.rt.platform.send_files(self.actor.user_id, files, comment)
        return report_render.report_reply(self.t, report, sent)

    def settings(self, command: Command) -> Reply:
        people = self.services.people
        if command.digest_schedule is not None:
            network = self.services.digests.set_schedule(
                self.actor, command.name, command.digest_schedule
            )
            return digest_render.schedule_set_reply(self.t, network, command.digest_schedule)
        if command.digest_frequency is not None:
            people.set_digest_frequency(self.actor, command.digest_frequency)
            return digest_render.frequency_set_reply(self.t, command.digest_frequency)
        if command.reminders is not None:
            people.set_reminders(self.actor, command.reminders)
            return reminders_set_reply(self.t, command.reminders)
        if command.language is None:
            return settings_reply(
                self.t,
                self.actor,
                people.reminders_enabled(self.actor),
                people.digest_frequency(self.actor),
            )
        actor = people.set_language(self.actor, command.language)
        return language_set_reply(self.rt.use_cases.translator_for(actor))

    def privacy(self, command: Command) -> Reply:
        privacy = self.services.privacy
        if command.privacy is PrivacyAction.FORGET:
            return privacy_render.forget_confirmation(self.t, privacy.forget_preview(self.actor))
        if command.privacy is PrivacyAction.EXPLAIN:
            return privacy_render.explain_reply(self.t, privacy.stored(self.actor))
        exported = privacy.export(self.actor)
        sent = self.rt.platform.send_files(
            self.actor.user_id,
            exports.personal_data_files(exported),
            privacy_render.export_note(self.t),
        )
        return privacy_render.exported_reply(self.t, sent)

    def _open(self, view: dict[str, Any]) -> None:
        self.rt.platform.open_form(self.sender.trigger_id, view)

    def run(self, command: Command) -> Reply | None:
        handler: Callable[[Command], Reply | None] = getattr(self, command.verb.value)
        return handler(command)


def answer_command(rt: Runtime, body: dict[str, Any]) -> None:
    """Run a `/network` command and answer the person privately."""
    sender = Sender.of_command(body)

    def produce(actor: Actor, t: Translator) -> Reply | None:
        command = parse(tokenize(body.get("text", "")))
        return Invocation(rt, sender, actor, t).run(command)

    rt.answer(sender, body["response_url"], produce)


def register(app: App, rt: Runtime) -> None:
    def network_command(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        rt.after_ack(answer_command, body)

    app.command(rt.settings.verkosto_command)(network_command)
