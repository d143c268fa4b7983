"""A command, carried out the same way on every platform: which use case each sub-command runs,
what follows it (invitations, messages sent at once, files handed over), and which answer the
person gets. How an answer looks is the platform's (`Answers`, one method per kind of answer);
what it says and what happened are decided here.

Buttons that do what a command does (join, leave, details, a coordinator's decision) go through
the same steps (`after_join`, `after_leave`, `info`, `after_decision`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from bot import exports, follow_ups
from bot.commands import Command, PollAction, PrivacyAction
from bot.domain import DigestFrequency, DigestSchedule
from bot.follow_ups import FollowUp
from bot.i18n import Translator
from bot.platform import Files, PlatformPort
from bot.results.digests import ChannelDigest
from bot.results.events import EventListing
from bot.results.memberships import (
    JoinKind,
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
from bot.services import Services
from bot.services.events import EditableEvent
from bot.services.networks import EditableNetwork
from bot.services.polls import EditablePoll

Reply = TypeVar("Reply")


class Answers(Protocol[Reply]):
    """How a platform words each answer. A form's method opens the form (or offers it, where
    the platform opens forms only on a click) and returns what to tell the person, if anything.
    `invited` says whether the person was added to the network's conversation (None: there is
    none to add them to)."""

    def help(self, t: Translator) -> Reply: ...
    def search(self, t: Translator, result: SearchResult) -> Reply: ...
    def detail(self, t: Translator, detail: NetworkDetail, similar: Recommendations) -> Reply: ...
    def network_form(self, t: Translator, editable: EditableNetwork | None) -> Reply | None: ...
    def joined(
        self,
        t: Translator,
        outcome: JoinOutcome,
        invited: bool | None,
        also: Recommendations | None,
    ) -> Reply: ...
    def requested(self, t: Translator, outcome: JoinOutcome) -> Reply: ...
    def left(self, t: Translator, outcome: LeaveOutcome) -> Reply: ...
    def decided(self, t: Translator, decision: RequestDecision) -> Reply: ...
    def memberships(self, t: Translator, views: tuple[MembershipView, ...]) -> Reply: ...
    def members(self, t: Translator, members: MemberList) -> Reply: ...
    def role_changed(self, t: Translator, change: RoleChange, invited: bool | None) -> Reply: ...
    def event_form(self, t: Translator, form: EditableEvent) -> Reply | None: ...
    def events(self, t: Translator, listing: EventListing) -> Reply: ...
    def poll_form(self, t: Translator, form: EditablePoll) -> Reply | None: ...
    def poll_posted(self, t: Translator, saved: PollSaved) -> Reply: ...
    def poll_results(self, t: Translator, card: PollCard, now: datetime) -> Reply: ...
    def poll_export_note(self, t: Translator, card: PollCard) -> str: ...
    def poll_exported(self, t: Translator, card: PollCard, sent: bool) -> Reply: ...
    def recommendations(self, t: Translator, found: Recommendations) -> Reply: ...
    def signal_saved(self, t: Translator, saved: SignalSaved) -> Reply: ...
    def signals(self, t: Translator, listing: SignalListing) -> Reply: ...
    def signals_export_note(self, t: Translator, listing: SignalListing) -> str: ...
    def signals_exported(self, t: Translator, listing: SignalListing, sent: bool) -> Reply: ...
    def digest_preview(
        self, t: Translator, preview: ChannelDigest, schedule: DigestSchedule
    ) -> Reply: ...
    def digest_schedule_set(
        self, t: Translator, network: NetworkRef, schedule: DigestSchedule
    ) -> Reply: ...
    def digest_frequency_set(self, t: Translator, frequency: DigestFrequency) -> Reply: ...
    def report_comment(self, t: Translator, report: NetworkReport) -> str: ...
    def report_sent(self, t: Translator, report: NetworkReport, sent: bool) -> Reply: ...
    def settings(
        self, t: Translator, actor: Actor, reminders: bool, digest: DigestFrequency
    ) -> Reply: ...
    def reminders_set(self, t: Translator, enabled: bool) -> Reply: ...
    def language_set(self, t: Translator) -> Reply: ...
    def forget_confirmation(self, t: Translator, preview: ForgetPreview) -> Reply: ...
    def privacy_explained(self, t: Translator, stored: StoredAboutYou) -> Reply: ...
    def privacy_export_note(self, t: Translator) -> str: ...
    def privacy_exported(self, t: Translator, sent: bool) -> Reply: ...


class CommandRunner(Generic[Reply]):
    """One person's command, in the conversation `conversation` (where a poll typed on one line
    goes when its network has none of its own)."""

    def __init__(
        self,
        services: Services,
        port: PlatformPort[Any, Any],
        answers: Answers[Reply],
        send_queued: Callable[[tuple[int, ...]], object],
        translator_for: Callable[[Actor], Translator],
        actor: Actor,
        t: Translator,
        conversation: str | None = None,
    ) -> None:
        self.services = services
        self.port = port
        self.answers = answers
        self.send_queued = send_queued
        self.translator_for = translator_for
        self.actor = actor
        self.t = t
        self.conversation = conversation or ""

    def run(self, command: Command) -> Reply | None:
        handler: Callable[[Command], Reply | None] = getattr(self, command.verb.value)
        return handler(command)

    # What follows a use case, for commands and buttons alike -----------------------------------

    def _carry_out(self, follow_up: FollowUp) -> bool | None:
        """Add the person to the network's conversation and send what the change queued;
        whether the adding worked (None: nobody to add)."""
        invited = None
        if follow_up.invite is not None:
            conversation, person = follow_up.invite
            invited = self.port.invite(conversation, person)
        self.send_queued(follow_up.send)
        return invited

    def after_join(self, outcome: JoinOutcome) -> Reply:
        """Welcome a new member, with networks they may also like; or say who was asked."""
        follow_up = follow_ups.after_join(self.services, self.actor, outcome)
        invited = self._carry_out(follow_up)
        if outcome.kind is JoinKind.JOINED:
            return self.answers.joined(self.t, outcome, invited, follow_up.also_like)
        return self.answers.requested(self.t, outcome)

    def after_leave(self, outcome: LeaveOutcome) -> Reply:
        """Gone, or the request withdrawn (the coordinators' notices say so)."""
        self._carry_out(follow_ups.after_leave(outcome))
        return self.answers.left(self.t, outcome)

    def after_decision(self, decision: RequestDecision) -> Reply:
        """The coordinator's answer; the requester and the other coordinators are told."""
        self._carry_out(follow_ups.after_decision(decision))
        return self.answers.decided(self.t, decision)

    def info_of(self, detail: NetworkDetail) -> Reply:
        """A network's details and the networks like it."""
        similar = follow_ups.similar_to(self.services, self.actor, detail.summary.ref.id)
        return self.answers.detail(self.t, detail, similar)

    # The sub-commands --------------------------------------------------------------------------

    def help(self, command: Command) -> Reply:
        return self.answers.help(self.t)

    def list(self, command: Command) -> Reply:
        result = self.services.networks.search(
            self.actor, command.query, command.category, command.scopes
        )
        return self.answers.search(self.t, result)

    def info(self, command: Command) -> Reply:
        return self.info_of(self.services.networks.info(self.actor, command.name))

    def create(self, command: Command) -> Reply | None:
        return self.answers.network_form(self.t, None)

    def edit(self, command: Command) -> Reply | None:
        editable = self.services.networks.editable(self.actor, command.name)
        return self.answers.network_form(self.t, editable)

    def join(self, command: Command) -> Reply:
        return self.after_join(self.services.memberships.join(self.actor, name=command.name))

    def leave(self, command: Command) -> Reply:
        return self.after_leave(self.services.memberships.leave(self.actor, name=command.name))

    def mine(self, command: Command) -> Reply:
        return self.answers.memberships(self.t, self.services.memberships.mine(self.actor))

    def members(self, command: Command) -> Reply:
        members = self.services.memberships.members(self.actor, command.name)
        return self.answers.members(self.t, members)

    def role(self, command: Command) -> Reply:
        assert command.role is not None
        self.services.people.ensure(self.actor, command.user_id, self.port.read_profile)
        change = self.services.memberships.set_role(
            self.actor, command.name, command.user_id, command.role
        )
        invited = self._carry_out(follow_ups.after_role_change(change))
        return self.answers.role_changed(self.t, change, invited)

    def event(self, command: Command) -> Reply | None:
        form = self.services.events.new_form(self.actor, command.name)
        return self.answers.event_form(self.t, form)

    def events(self, command: Command) -> Reply:
        listing = self.services.events.upcoming(self.actor, command.name or None)
        return self.answers.events(self.t, listing)

    def poll(self, command: Command) -> Reply | None:
        request = command.poll
        assert request is not None
        polls = self.services.polls
        if request.action is PollAction.FORM:
            return self.answers.poll_form(self.t, polls.new_form(self.actor, command.name))
        if request.action is PollAction.RESULTS:
            card = polls.results(self.actor, request.poll_id)
            return self.answers.poll_results(self.t, card, self.services.clock.now())
        if request.action is PollAction.EXPORT:
            card, table = polls.export(self.actor, request.poll_id)
            sent = self._hand_over(
                exports.poll_files(card, table), self.answers.poll_export_note(self.t, card)
            )
            return self.answers.poll_exported(self.t, card, sent)
        values = {
            "question": request.question,
            "options": request.options,
            "kind": request.kind,
            "multiple": request.multiple,
            "anonymous": request.anonymous,
            "closes_at": polls.closing_time(request.closes, self.actor.timezone),
        }
        saved = polls.create(self.actor, self.conversation, values, name=command.name)
        self.send_queued(saved.queued)
        return self.answers.poll_posted(self.t, saved)

    def similar(self, command: Command) -> Reply:
        found = self.services.recommendations.similar(self.actor, command.name)
        return self.answers.recommendations(self.t, found)

    def suggest(self, command: Command) -> Reply:
        found = self.services.recommendations.for_person(self.actor)
        return self.answers.recommendations(self.t, found)

    def signal(self, command: Command) -> Reply:
        saved = self.services.signals.record(
            self.actor,
            command.text,
            name=command.name,
            words_after_unquoted_name=command.after_unquoted_name,
        )
        self.send_queued(saved.queued)
        return self.answers.signal_saved(self.t, saved)

    def signals(self, command: Command) -> Reply:
        signals = self.services.signals
        if not command.export:
            return self.answers.signals(self.t, signals.recent(self.actor, command.name))
        listing, table = signals.export(self.actor, command.name)
        sent = self._hand_over(
            exports.signal_files(listing, table),
            self.answers.signals_export_note(self.t, listing),
        )
        return self.answers.signals_exported(self.t, listing, sent)

    def digest(self, command: Command) -> Reply:
        preview, schedule = self.services.digests.preview(self.actor, command.name)
        return self.answers.digest_preview(self.t, preview, schedule)

    def report(self, command: Command) -> Reply:
        report = self.services.reports.report(self.actor, command.name, command.period)
        files = exports.report_files(report, self.t, self.actor.timezone)
        sent = self._hand_over(files, self.answers.report_comment(self.t, report))
        return self.answers.report_sent(self.t, report, sent)

    def settings(self, command: Command) -> Reply:
        people = self.services.people
        if command.digest_schedule is not None:
            network = self.services.digests.set_schedule(
                self.actor, command.name, command.digest_schedule
            )
            return self.answers.digest_schedule_set(self.t, network, command.digest_schedule)
        if command.digest_frequency is not None:
            people.set_digest_frequency(self.actor, command.digest_frequency)
            return self.answers.digest_frequency_set(self.t, command.digest_frequency)
        if command.reminders is not None:
            people.set_reminders(self.actor, command.reminders)
            return self.answers.reminders_set(self.t, command.reminders)
        if command.language is None:
            return self.answers.settings(
                self.t,
                self.actor,
                people.reminders_enabled(self.actor),
                people.digest_frequency(self.actor),
            )
        actor = people.set_language(self.actor, command.language)
        return self.answers.language_set(self.translator_for(actor))

    def privacy(self, command: Command) -> Reply:
        privacy = self.services.privacy
        if command.privacy is PrivacyAction.FORGET:
            return self.answers.forget_confirmation(self.t, privacy.forget_preview(self.actor))
        if command.privacy is PrivacyAction.EXPLAIN:
            return self.answers.privacy_explained(self.t, privacy.stored(self.actor))
        exported = privacy.export(self.actor)
        sent = self._hand_over(
            exports.personal_data_files(exported), self.answers.privacy_export_note(self.t)
        )
        return self.answers.privacy_exported(self.t, sent)

    def _hand_over(self, files: Files, comment: str) -> bool:
        return self.port.send_files(self.actor.user_id, files, comment)
