"""Polls: quick questions to a network, honest anonymity, closing on time, feedback after events.

A ballot is found again by a keyed hash of the poll and the person (`voter`), so that a person
can change or take back their vote. In an anonymous poll that hash is all there is: no person,
no time. The key lives in the settings, not in the database, so the database alone cannot tell
who voted for what, and no use case of the bot reads a ballot back to a person.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.domain import (
    Attendance,
    AuditAction,
    MembershipStatus,
    MessageKind,
    PollKind,
    PollStatus,
)
from bot.errors import Conflict, Forbidden, FormInvalid, InvalidInput, NotFound
from bot.recurrence import local_to_utc
from bot.results.people import Actor
from bot.results.polls import Nudged, PollCard, PollOutcome, PollSaved, WaitingPoll
from bot.results.refs import NetworkRef
from bot.services import message_keys
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import (
    can_coordinate,
    find_network,
    may_address,
    network_by_id,
    visible,
)
from bot.services.mapping import network_ref
from bot.services.people import Defaults
from bot.services.poll_cards import choice_labels, poll_card, results_table
from bot.services.poll_fields import option_problem, validated_poll
from storage.database import Database
from storage.models import Ballot, Event, Network, Poll
from storage.store import Store

FEEDBACK_OPEN_FOR = timedelta(days=3)
# Events that ended longer ago than this are not asked about any more.
FEEDBACK_WINDOW = timedelta(days=2)
MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class EditablePoll:
    """What the poll form starts from."""

    network: NetworkRef
    timezone: str


class PollService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: Defaults,
        ballot_key: bytes,
        catalog: NetworkCatalog,
    ) -> None:
        self._db = db
        self._catalog = catalog
        self._clock = clock
        self._defaults = defaults
        self._ballot_key = ballot_key

    # Asking ------------------------------------------------------------------------------------

    def new_form(self, actor: Actor, name: str) -> EditablePoll:
        """An empty form for a network the actor may ask in."""
        with self._db.snapshot() as store:
            return _new_form(store, actor, find_network(store, self._catalog, actor, name))

    def new_form_by_id(self, actor: Actor, network_id: int) -> EditablePoll:
        """The same, for the network a form names by its id."""
        with self._db.snapshot() as store:
            return _new_form(store, actor, network_by_id(store, actor, network_id))

    def create(
        self,
        actor: Actor,
        origin_channel: str,
        values: dict[str, Any],
        *,
        network_id: int | None = None,
        name: str | None = None,
    ) -> PollSaved:
        """Ask a question in a network (by id from the form, or by name from the one-line
        form) and queue the poll for its linked channel, or else the channel typed in."""
        now = self._clock.now()
        fields = validated_poll(values, now)
        with self._db.transaction() as store:
            if network_id is not None:
                network = network_by_id(store, actor, network_id)
            else:
                network = find_network(store, self._catalog, actor, name or "")
            _require_asker(store, actor, network)
            if network.archived:
                raise Conflict("error.join.archived", network=network_ref(network))
            poll = Poll(
                workspace_id=actor.workspace_id,
                network_id=network.id,
                creator_id=actor.person_id,
                question=fields.question,
                kind=fields.kind,
                max_choices=fields.choice_limit(),
                anonymous=fields.anonymous,
                results_live=fields.results_live,
                members_add_options=fields.members_add_options,
                status=PollStatus.OPEN,
                closes_at=fields.closes_at,
                channel_id=network.channel_id or origin_channel,
                language=self._defaults.language,
                created_at=now,
            )
            store.polls.add(poll, fields.labels())
            key = _queue(store, poll, MessageKind.POLL, poll.channel_id or "", now, "post")
            store.audit.record(
                workspace_id=actor.workspace_id,
                action=AuditAction.POLL_CREATED,
                at=now,
                actor_id=actor.person_id,
                network_id=network.id,
                details={"poll_id": poll.id},
            )
            return PollSaved(
                poll=poll_card(store, poll, now, self._defaults.timezone),
                channel_id=poll.channel_id or "",
                queued=tuple(store.outbox.ids_by_keys([key])),
            )

    def closing_time(self, closes: timedelta | datetime | None, timezone: str) -> datetime | None:
        """When a poll closes: `closes` after now, or at a wall-clock time in `timezone`."""
        if closes is None:
            return None
        if isinstance(closes, timedelta):
            return self._clock.now() + closes
        return local_to_utc(closes.date(), closes.time(), timezone)

    # Voting ------------------------------------------------------------------------------------

    def vote(self, actor: Actor, poll_id: int, option_id: int) -> PollOutcome:
        """Vote for an option. In a single-choice poll another option replaces the vote and the
        same option takes it back; in a multiple-choice poll each option toggles, up to the
        poll's limit."""
        now = self._clock.now()
        with self._db.transaction() as store:
            poll = self._open_poll(store, actor, poll_id)
            self._require_voter(store, actor, poll)
            option = next((o for o in poll.options if o.id == option_id), None)
            if option is None:
                raise NotFound("error.stale_action")
            ballot = self._ballot(store, actor, poll, now, lock=True)
            chosen = {choice.option_id for choice in ballot.choices}
            if option.id in chosen:
                chosen.discard(option.id)
            elif poll.max_choices == 1:
                chosen = {option.id}
            elif len(chosen) >= poll.max_choices:
                raise Conflict("error.poll.limit", count=poll.max_choices)
            else:
                chosen.add(option.id)
            store.ballots.set_choices(ballot, chosen)
            keys = [self._refresh(store, poll, now)]
            labels = tuple(o.label for o in poll.options if o.id in chosen)
            return PollOutcome(
                poll.id, poll.question, labels, poll.anonymous, self._queued(store, keys)
            )

    def comment(self, actor: Actor, poll_id: int, text: str) -> PollOutcome:
        """Add a comment to one's ballot (the feedback form's comment)."""
        text = text.strip()
        if not text:
            raise FormInvalid([InvalidInput("error.field.required", field="comment")])
        if len(text) > MAX_COMMENT_LENGTH:
            raise FormInvalid(
                [InvalidInput("error.field.too_long", field="comment", max=MAX_COMMENT_LENGTH)]
            )
        now = self._clock.now()
        with self._db.transaction() as store:
            poll = self._open_poll(store, actor, poll_id)
            self._require_voter(store, actor, poll)
            ballot = self._ballot(store, actor, poll, now, lock=True)
            ballot.comment = text
            labels = tuple(choice_labels(poll, ballot))
            return PollOutcome(poll.id, poll.question, labels, poll.anonymous)

    def may_comment(self, actor: Actor, poll_id: int) -> None:
        """Raise unless the actor may comment on the poll, before their form opens."""
        with self._db.snapshot() as store:
            self._require_voter(store, actor, self._open_poll(store, actor, poll_id))

    def may_add_option(self, actor: Actor, poll_id: int) -> None:
        """Raise unless the actor may add an option to the poll, before their form opens."""
        with self._db.snapshot() as store:
            self._require_option_adder(store, actor, self._open_poll(store, actor, poll_id))

    def add_option(self, actor: Actor, poll_id: int, label: str) -> PollOutcome:
        """A member adds an option, where the poll allows it."""
        label = label.strip()
        now = self._clock.now()
        with self._db.transaction() as store:
            poll = self._open_poll(store, actor, poll_id, lock=True)
            self._require_option_adder(store, actor, poll)
            problem = option_problem(label, [o.label for o in poll.options])
            if problem is not None:
                raise FormInvalid([problem])
            store.polls.add_option(poll, label, actor.person_id)
            keys = [self._refresh(store, poll, now)]
            return PollOutcome(
                poll.id, poll.question, (label,), poll.anonymous, self._queued(store, keys)
            )

    # Closing -----------------------------------------------------------------------------------

    def close(self, actor: Actor, poll_id: int) -> PollOutcome:
        """The creator or a coordinator closes a poll before its time."""
        now = self._clock.now()
        with self._db.transaction() as store:
            poll = self._open_poll(store, actor, poll_id, lock=True)
            if not self._manages(store, actor, poll):
                raise Forbidden("error.poll.not_yours")
            keys = self._close(store, poll, now, actor.person_id)
            return PollOutcome(
                poll.id, poll.question, (), poll.anonymous, self._queued(store, keys)
            )

    def close_due(self, batch: int = 200) -> int:
        """Close the polls whose time has come (the worker); how many were closed."""
        closed = 0
        while True:
            now = self._clock.now()
            with self._db.transaction() as store:
                due = store.polls.claim_due(now, batch)
                for poll in due:
                    self._close(store, poll, now, None)
                closed += len(due)
            if len(due) < batch:
                return closed

    # Feedback after events ---------------------------------------------------------------------

    def ask_feedback(self, batch: int = 200) -> int:
        """After each event ends, ask the people who went how it was: a 1-5 rating, anonymous,
        open for three days. Each event is asked about once; how many were asked about."""
        asked = 0
        while True:
            now = self._clock.now()
            with self._db.transaction() as store:
                events = store.polls.events_without_feedback(now, now - FEEDBACK_WINDOW, batch)
                for event in events:
                    self._ask_feedback(store, event, now)
                asked += len(events)
            if len(events) < batch:
                return asked

    def _ask_feedback(self, store: Store, event: Event, now: datetime) -> None:
        poll = Poll(
            workspace_id=event.workspace_id,
            network_id=event.network_id,
            event_id=event.id,
            creator_id=event.creator_id,
            question=event.title,
            kind=PollKind.STARS,
            max_choices=1,
            anonymous=True,
            results_live=False,
            members_add_options=False,
            status=PollStatus.OPEN,
            closes_at=now + FEEDBACK_OPEN_FOR,
            channel_id=None,
            language=event.language,
            created_at=now,
        )
        if not store.polls.add_feedback(poll, [str(p) for p in range(1, 6)]):
            return  # another worker asked about this event first
        for person in store.rsvps.going_people(event.id):
            _queue(store, poll, MessageKind.FEEDBACK_REQUEST, person.user_id, now, "ask", person.id)

    # Nudging -----------------------------------------------------------------------------------

    def nudge(self, actor: Actor, poll_id: int) -> Nudged:
        """The creator reminds the members who have not voted, once per poll."""
        now = self._clock.now()
        with self._db.transaction() as store:
            poll = self._open_poll(store, actor, poll_id, lock=True)
            if poll.creator_id != actor.person_id:
                raise Forbidden("error.poll.nudge_creator")
            if poll.nudged_at is not None:
                raise Conflict("error.poll.nudged", when=poll.nudged_at)
            poll.nudged_at = now
            voters = store.ballots.voters_with_choices(poll.id)
            waiting = [
                membership.person
                for membership in store.memberships.active_in(poll.network_id)
                if self.voter_key(poll.id, membership.person_id) not in voters
            ]
            keys = [
                _queue(store, poll, MessageKind.POLL_NUDGE, person.user_id, now, "nudge", person.id)
                for person in waiting
            ]
            return Nudged(poll.id, len(waiting), self._queued(store, keys))

    # Reading -----------------------------------------------------------------------------------

    def card(self, workspace_id: int, poll_id: int) -> PollCard | None:
        """A poll as its messages show it now, to everyone."""
        with self._db.snapshot() as store:
            poll = store.polls.by_id(workspace_id, poll_id)
            return (
                poll_card(store, poll, self._clock.now(), self._defaults.timezone) if poll else None
            )

    def results(self, actor: Actor, poll_id: int) -> PollCard:
        """A poll's results for `poll results ID`: the same as everyone sees."""
        with self._db.snapshot() as store:
            poll = self._visible_poll(store, actor, poll_id)
            return poll_card(store, poll, self._clock.now(), self._defaults.timezone)

    def export(self, actor: Actor, poll_id: int) -> tuple[PollCard, str]:
        """The poll's results as CSV, for its creator and the coordinators. An anonymous poll
        gives counts only; an open one, each voter's choices too."""
        with self._db.snapshot() as store:
            poll = self._visible_poll(store, actor, poll_id)
            if not self._manages(store, actor, poll):
                raise Forbidden("error.poll.not_yours")
            card = poll_card(store, poll, self._clock.now(), self._defaults.timezone)
            if not card.results_visible:
                raise Conflict(f"error.poll.results_hidden.{card.hidden_reason}")
            return card, results_table(store, poll, card)

    # Helpers -----------------------------------------------------------------------------------

    def waiting_for(self, actor: Actor) -> tuple[WaitingPoll, ...]:
        """The open polls of the actor's networks that wait for their vote, closing first."""
        now = self._clock.now()
        with self._db.snapshot() as store:
            mine = store.memberships.current_by_network(actor.person_id)
            active = [n for n, m in mine.items() if m.status is MembershipStatus.ACTIVE]
            polls = (
                [
                    poll
                    for poll in store.polls.open_or_closed_between(active, now, now)
                    if poll.status is PollStatus.OPEN
                ]
                if active
                else []
            )
            voted = store.ballots.voters_with_choices_in([poll.id for poll in polls])
            waiting = [
                WaitingPoll(
                    network=network_ref(mine[poll.network_id].network),
                    id=poll.id,
                    question=poll.question,
                    kind=poll.kind,
                    options=tuple((option.id, option.label) for option in poll.options),
                    closes_at=poll.closes_at,
                )
                for poll in polls
                if (poll.id, self.voter_key(poll.id, actor.person_id)) not in voted
            ]
        far = datetime.max.replace(tzinfo=now.tzinfo)
        return tuple(sorted(waiting, key=lambda poll: (poll.closes_at or far, poll.id)))

    def voter_key(self, poll_id: int, person_id: int) -> str:
        """The ballot's key for one person in one poll: a keyed hash, not the person."""
        if not self._ballot_key:
            raise RuntimeError("polls need VERKOSTO_SECRET or SLACK_SIGNING_SECRET to key ballots")
        message = f"{poll_id}:{person_id}".encode()
        return hmac.new(self._ballot_key, message, hashlib.sha256).hexdigest()

    def _ballot(self, store: Store, actor: Actor, poll: Poll, now: datetime, lock: bool) -> Ballot:
        person_id = None if poll.anonymous else actor.person_id
        voted_at = None if poll.anonymous else now
        return store.ballots.ensure(
            poll.id, self.voter_key(poll.id, actor.person_id), person_id, voted_at, lock=lock
        )

    def _open_poll(self, store: Store, actor: Actor, poll_id: int, lock: bool = False) -> Poll:
        poll = self._visible_poll(store, actor, poll_id, lock)
        if poll.status is PollStatus.CLOSED:
            raise Conflict("error.poll.closed", question=poll.question)
        return poll

    @staticmethod
    def _visible_poll(store: Store, actor: Actor, poll_id: int, lock: bool = False) -> Poll:
        poll = store.polls.by_id(actor.workspace_id, poll_id, lock=lock)
        if poll is None:
            raise NotFound("error.poll.not_found", id=poll_id)
        visible(store, actor, poll.network)
        return poll

    def _require_option_adder(self, store: Store, actor: Actor, poll: Poll) -> None:
        self._require_voter(store, actor, poll)
        if not poll.members_add_options and not self._manages(store, actor, poll):
            raise Forbidden("error.poll.no_new_options")

    @staticmethod
    def _require_voter(store: Store, actor: Actor, poll: Poll) -> None:
        """Members vote; on an event's feedback, those who were going to it."""
        if poll.event_id is not None:
            rsvp = store.rsvps.of(poll.event_id, actor.person_id)
            if rsvp is None or rsvp.attendance is not Attendance.GOING:
                raise Forbidden("error.poll.feedback_only")
            return
        membership = store.memberships.current(poll.network_id, actor.person_id)
        if membership is None or membership.status is not MembershipStatus.ACTIVE:
            raise Forbidden(
                "error.poll.members_only",
                network=network_ref(poll.network),
                slug=poll.network.slug,
            )

    @staticmethod
    def _manages(store: Store, actor: Actor, poll: Poll) -> bool:
        return poll.creator_id == actor.person_id or can_coordinate(store, actor, poll.network)

    def _close(self, store: Store, poll: Poll, now: datetime, closed_by: int | None) -> list[str]:
        """Close a poll: its message shows the final results, a summary goes to its thread
        (an event's feedback: to the coordinators, and the score to the event)."""
        poll.status = PollStatus.CLOSED
        poll.closed_at = now
        store.audit.record(
            workspace_id=poll.workspace_id,
            action=AuditAction.POLL_CLOSED,
            at=now,
            actor_id=closed_by,
            network_id=poll.network_id,
            details={"poll_id": poll.id},
        )
        keys = [self._refresh(store, poll, now)]
        if poll.event_id is None:
            results = MessageKind.POLL_RESULTS
            return [*keys, _queue(store, poll, results, poll.channel_id or "", now, "results")]
        card = poll_card(store, poll, now, self._defaults.timezone)
        event = store.events.get(poll.event_id)
        if event is not None:
            event.feedback_count = card.total
            event.feedback_score = card.average
        summary = MessageKind.FEEDBACK_SUMMARY
        for coordinator in store.memberships.coordinators_of(poll.network_id):
            keys.append(
                _queue(store, poll, summary, coordinator.user_id, now, "summary", coordinator.id)
            )
        return keys

    @staticmethod
    def _refresh(store: Store, poll: Poll, now: datetime) -> str:
        """Show the poll's current state in its message (a feedback poll has none)."""
        key = message_keys.poll_refresh(poll.id)
        if poll.event_id is None:
            store.outbox.put_or_rearm(
                workspace_id=poll.workspace_id,
                network_id=poll.network_id,
                key=key,
                kind=MessageKind.POLL_REFRESH,
                recipient=poll.channel_id or "",
                now=now,
                payload={"poll_id": poll.id},
            )
        return key

    @staticmethod
    def _queued(store: Store, keys: Sequence[str]) -> tuple[int, ...]:
        return tuple(store.outbox.ids_by_keys(keys))


def _queue(
    store: Store, poll: Poll, kind: MessageKind, recipient: str, now: datetime, *key: object
) -> str:
    """Queue a message about a poll, due now; its key (`poll:<id>:<key...>`)."""
    message = message_keys.poll_message(poll.id, *key)
    store.outbox.put(
        workspace_id=poll.workspace_id,
        network_id=poll.network_id,
        key=message,
        kind=kind,
        recipient=recipient,
        due_at=now,
        now=now,
        payload={"poll_id": poll.id},
    )
    return message


def _new_form(store: Store, actor: Actor, network: Network) -> EditablePoll:
    _require_asker(store, actor, network)
    return EditablePoll(network_ref(network), actor.timezone)


def _require_asker(store: Store, actor: Actor, network: Network) -> None:
    if not may_address(store, actor, network):
        raise Forbidden("error.forbidden.poll", network=network_ref(network))
