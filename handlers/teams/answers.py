"""The core's `Answers` in Teams, as Adaptive Card messages. A form's answer is the button
that opens its dialog (Teams opens dialogs only on a click)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
from handlers.teams import (
    digest_cards,
    event_cards,
    event_dialog,
    membership_cards,
    network_cards,
    network_dialog,
    poll_cards,
    poll_dialog,
    privacy_cards,
    replies,
    signal_cards,
)
from handlers.teams.cards import Message, plain, say
from handlers.teams.dialogs import done_message, open_button
from handlers.web.calendar import calendar_url
from handlers.web.directory.links import web_note


class TeamsAnswers:
    """Answers as cards for one request; `public_url` is where `verkosto serve` serves the
    calendars, if it does; `conversation` is the channel the request came from, if it came from
    one (a form opened from the answer offers it); `directory_on` whether the deployment has a
    web directory, and `directory_url` its address, if known."""

    def __init__(
        self,
        public_url: str | None,
        conversation: str | None = None,
        directory_on: bool = False,
        directory_url: str | None = None,
    ) -> None:
        self._public_url = public_url
        self._conversation = conversation
        self._directory_on = directory_on
        self._directory_url = directory_url

    def _context(self, **ids: int | None) -> dict[str, Any]:
        given = {name: value for name, value in ids.items() if value is not None}
        return {**given, "conversation": self._conversation} if self._conversation else given

    def help(self, t: Translator) -> Message:
        return replies.help_message(t)

    def search(self, t: Translator, result: SearchResult) -> Message:
        return network_cards.search_message(t, result)

    def detail(self, t: Translator, detail: NetworkDetail, similar: Recommendations) -> Message:
        calendar = calendar_url(self._public_url, detail.calendar_token)
        web = web_note(detail, self._directory_on, self._directory_url)
        return network_cards.detail_message(t, detail, calendar, similar, web)

    def network_form(self, t: Translator, editable: EditableNetwork | None) -> Message:
        network = editable.network_id if editable else None
        label = "form.title_edit" if editable else "form.title_create"
        return open_button(t, network_dialog.FORM, label, **self._context(network=network))

    def joined(
        self,
        t: Translator,
        outcome: JoinOutcome,
        invited: bool | None,
        also: Recommendations | None,
    ) -> Message:
        return network_cards.joined_message(t, outcome, also)

    def requested(self, t: Translator, outcome: JoinOutcome) -> Message:
        return network_cards.requested_message(t, outcome)

    def left(self, t: Translator, outcome: LeaveOutcome) -> Message:
        return network_cards.left_message(t, outcome)

    def decided(self, t: Translator, decision: RequestDecision) -> Message:
        return membership_cards.decision_for_coordinator(t, decision)

    def memberships(self, t: Translator, views: tuple[MembershipView, ...]) -> Message:
        return network_cards.memberships_message(t, views)

    def members(self, t: Translator, members: MemberList) -> Message:
        return membership_cards.members_message(t, members)

    def role_changed(self, t: Translator, change: RoleChange, invited: bool | None) -> Message:
        return membership_cards.role_message(t, change)

    def event_form(self, t: Translator, form: EditableEvent) -> Message:
        context = self._context(network=form.network.id)
        return open_button(t, event_dialog.FORM, "event_form.title_new", **context)

    def events(self, t: Translator, listing: EventListing) -> Message:
        return event_cards.listing_message(t, listing, self._public_url)

    def poll_form(self, t: Translator, form: EditablePoll) -> Message:
        context = self._context(network=form.network.id)
        return open_button(t, poll_dialog.FORM, "poll_form.title", **context)

    def poll_posted(self, t: Translator, saved: PollSaved) -> Message:
        return poll_cards.posted_message(t, saved.poll)

    def poll_results(self, t: Translator, card: PollCard, now: datetime) -> Message:
        return poll_cards.results_message(t, card, now)

    def poll_export_note(self, t: Translator, card: PollCard) -> str:
        key = "poll.export_anonymous" if card.anonymous else "poll.export_named"
        return say(t, key, question=card.question)

    def poll_exported(self, t: Translator, card: PollCard, sent: bool) -> Message:
        return plain(t, "poll.exported" if sent else "poll.export_failed", question=card.question)

    def recommendations(self, t: Translator, found: Recommendations) -> Message:
        return network_cards.recommendations_message(t, found)

    def signal_saved(self, t: Translator, saved: SignalSaved) -> Message:
        return done_message(signal_cards.saved_words(t, saved))

    def signals(self, t: Translator, listing: SignalListing) -> Message:
        return signal_cards.listing_message(t, listing)

    def signals_export_note(self, t: Translator, listing: SignalListing) -> str:
        return signal_cards.export_note(t, listing)

    def signals_exported(self, t: Translator, listing: SignalListing, sent: bool) -> Message:
        return signal_cards.exported_message(t, listing, sent)

    def digest_preview(
        self, t: Translator, preview: ChannelDigest, schedule: DigestSchedule
    ) -> Message:
        return digest_cards.preview_message(t, preview, schedule)

    def digest_schedule_set(
        self, t: Translator, network: NetworkRef, schedule: DigestSchedule
    ) -> Message:
        return replies.schedule_set_message(t, network, schedule)

    def digest_frequency_set(self, t: Translator, frequency: DigestFrequency) -> Message:
        return replies.frequency_set_message(t, frequency)

    def report_comment(self, t: Translator, report: NetworkReport) -> str:
        return privacy_cards.report_comment(t, report)

    def report_sent(self, t: Translator, report: NetworkReport, sent: bool) -> Message:
        return privacy_cards.report_message(t, report, sent)

    def settings(
        self, t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency
    ) -> Message:
        return replies.settings_message(t, actor, reminders, digest)

    def reminders_set(self, t: Translator, enabled: bool) -> Message:
        return replies.reminders_set_message(t, enabled)

    def language_set(self, t: Translator) -> Message:
        return replies.language_set_message(t)

    def forget_confirmation(self, t: Translator, preview: ForgetPreview) -> Message:
        return privacy_cards.forget_confirmation(t, preview)

    def privacy_explained(self, t: Translator, stored: StoredAboutYou) -> Message:
        return privacy_cards.explained_message(t, stored)

    def privacy_export_note(self, t: Translator) -> str:
        return say(t, "privacy.export_note")

    def privacy_exported(self, t: Translator, sent: bool) -> Message:
        return privacy_cards.exported_message(t, sent)
