"""The core's `Answers` in Slack: each kind of answer as Block Kit, and each form as a modal
opened for the person who asked (`trigger_id`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.command_runner import CommandRunner
from bot.domain import DigestFrequency, DigestSchedule
from bot.i18n import Translator
from bot.results.digests import ChannelDigest
from bot.results.events import EventListing
from bot.results.memberships import (
    JoinOutcome,
    LeaveOutcome,
    MemberList,
    MembershipView,
    RequestDecision,
    RoleChange,
)
from bot.results.networks import NetworkDetail, SearchResult
from bot.results.people import Actor
from bot.results.polls import PollCard, PollSaved
from bot.results.privacy import ForgetPreview, StoredAboutYou
from bot.results.recommendations import Recommendations
from bot.results.refs import NetworkRef
from bot.results.reports import NetworkReport
from bot.results.signals import SignalListing, SignalSaved
from bot.services.events import EditableEvent
from bot.services.networks import EditableNetwork
from bot.services.polls import EditablePoll
from handlers.slack import (
    digest_render,
    poll_render,
    privacy_render,
    reply_render,
    report_render,
    signal_render,
)
from handlers.slack.blocks import Reply
from handlers.slack.event_modal import EventFormContext, event_modal
from handlers.slack.event_render import listing_reply
from handlers.slack.membership_render import (
    channel_note,
    decision_for_coordinator,
    joined_reply,
    left_reply,
    members_reply,
    memberships_reply,
    requested_reply,
    role_reply,
)
from handlers.slack.modals import FormContext, network_modal
from handlers.slack.network_render import detail_reply, recommendations_reply, search_reply
from handlers.slack.payloads import Sender
from handlers.slack.platform import SlackPlatform
from handlers.slack.poll_modal import PollFormContext, poll_modal
from handlers.slack.runtime import Runtime
from handlers.web.directory.links import web_note


class SlackAnswers:
    """Answers for `sender`, whose action (`trigger_id`) opens the forms."""

    def __init__(self, rt: Runtime, sender: Sender) -> None:
        self.rt = rt
        self.sender = sender
        self.platform: SlackPlatform = rt.platform

    def _open(self, view: dict[str, Any]) -> None:
        self.platform.open_form(self.sender.trigger_id, view)

    def help(self, t: Translator) -> Reply:
        return reply_render.help_reply(t)

    def search(self, t: Translator, result: SearchResult) -> Reply:
        return search_reply(t, result)

    def detail(self, t: Translator, detail: NetworkDetail, similar: Recommendations) -> Reply:
        calendar = self.rt.calendar_url(detail.calendar_token)
        settings = self.rt.settings
        web = web_note(detail, settings.verkosto_web_directory, settings.directory_url())
        return detail_reply(t, detail, calendar, similar, web)

    def network_form(self, t: Translator, editable: EditableNetwork | None) -> None:
        if editable is None:
            self._open(network_modal(t, FormContext(network_id=None), None).to_dict())
            return
        context = FormContext(network_id=editable.network_id)
        self._open(network_modal(t, context, editable.form).to_dict())

    def joined(
        self,
        t: Translator,
        outcome: JoinOutcome,
        invited: bool | None,
        also: Recommendations | None,
    ) -> Reply:
        note = None
        if invited is not None and outcome.channel_id:
            note = channel_note(t, outcome.channel_id, invited)
        return joined_reply(t, outcome, note, also)

    def requested(self, t: Translator, outcome: JoinOutcome) -> Reply:
        return requested_reply(t, outcome)

    def left(self, t: Translator, outcome: LeaveOutcome) -> Reply:
        return left_reply(t, outcome)

    def decided(self, t: Translator, decision: RequestDecision) -> Reply:
        return decision_for_coordinator(t, decision)

    def memberships(self, t: Translator, views: tuple[MembershipView, ...]) -> Reply:
        return memberships_reply(t, views)

    def members(self, t: Translator, members: MemberList) -> Reply:
        return members_reply(t, members)

    def role_changed(self, t: Translator, change: RoleChange, invited: bool | None) -> Reply:
        note = None
        if invited is not None and change.channel_id:
            note = channel_note(t, change.channel_id, invited, whom="them")
        return role_reply(t, change, note)

    def event_form(self, t: Translator, form: EditableEvent) -> None:
        context = EventFormContext(form.network.id, self.sender.channel_id or "")
        self._open(event_modal(t, context, form).to_dict())

    def events(self, t: Translator, listing: EventListing) -> Reply:
        return listing_reply(t, listing, self.rt.settings.verkosto_public_url)

    def poll_form(self, t: Translator, form: EditablePoll) -> None:
        context = PollFormContext(form.network.id, self.sender.channel_id or "")
        self._open(poll_modal(t, context, form).to_dict())

    def poll_posted(self, t: Translator, saved: PollSaved) -> Reply:
        return poll_render.posted_reply(t, saved.poll, saved.channel_id)

    def poll_results(self, t: Translator, card: PollCard, now: datetime) -> Reply:
        return poll_render.results_reply(t, card, now)

    def poll_export_note(self, t: Translator, card: PollCard) -> str:
        return poll_render.export_note(t, card)

    def poll_exported(self, t: Translator, card: PollCard, sent: bool) -> Reply:
        return poll_render.export_reply(t, card, sent)

    def recommendations(self, t: Translator, found: Recommendations) -> Reply:
        return recommendations_reply(t, found)

    def signal_saved(self, t: Translator, saved: SignalSaved) -> Reply:
        return signal_render.saved_reply(t, saved)

    def signals(self, t: Translator, listing: SignalListing) -> Reply:
        return signal_render.listing_reply(t, listing)

    def signals_export_note(self, t: Translator, listing: SignalListing) -> str:
        return signal_render.export_note(t, listing)

    def signals_exported(self, t: Translator, listing: SignalListing, sent: bool) -> Reply:
        return signal_render.export_reply(t, listing, sent)

    def digest_preview(
        self, t: Translator, preview: ChannelDigest, schedule: DigestSchedule
    ) -> Reply:
        return digest_render.preview_reply(t, preview, schedule)

    def digest_schedule_set(
        self, t: Translator, network: NetworkRef, schedule: DigestSchedule
    ) -> Reply:
        return digest_render.schedule_set_reply(t, network, schedule)

    def digest_frequency_set(self, t: Translator, frequency: DigestFrequency) -> Reply:
        return digest_render.frequency_set_reply(t, frequency)

    def report_comment(self, t: Translator, report: NetworkReport) -> str:
        return report_render.report_comment(t, report)

    def report_sent(self, t: Translator, report: NetworkReport, sent: bool) -> Reply:
        return report_render.report_reply(t, report, sent)

    def settings(
        self, t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency
    ) -> Reply:
        return reply_render.settings_reply(t, actor, reminders, digest)

    def reminders_set(self, t: Translator, enabled: bool) -> Reply:
        return reply_render.reminders_set_reply(t, enabled)

    def language_set(self, t: Translator) -> Reply:
        return reply_render.language_set_reply(t)

    def forget_confirmation(self, t: Translator, preview: ForgetPreview) -> Reply:
        return privacy_render.forget_confirmation(t, preview)

    def privacy_explained(self, t: Translator, stored: StoredAboutYou) -> Reply:
        return privacy_render.explain_reply(t, stored)

    def privacy_export_note(self, t: Translator) -> str:
        return privacy_render.export_note(t)

    def privacy_exported(self, t: Translator, sent: bool) -> Reply:
        return privacy_render.exported_reply(t, sent)


def runner_for(rt: Runtime, sender: Sender, actor: Actor, t: Translator) -> CommandRunner[Reply]:
    """The core's command runner for one person's request in Slack."""
    return CommandRunner(
        rt.services,
        rt.platform,
        SlackAnswers(rt, sender),
        rt.send_queued,
        rt.use_cases.translator_for,
        actor,
        t,
        sender.channel_id,
    )
