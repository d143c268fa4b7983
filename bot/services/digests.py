"""Digests: each network's channel hears, on the schedule its coordinators chose, what happened
and what is coming; each person who was away hears what they missed.

A period's digest is decided once, in the transaction that queues it (or records that the
period had nothing to say), so two workers or a restart never send it twice; the outbox then
sends it exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import (
    Attendance,
    DigestFrequency,
    DigestSchedule,
    DigestSubject,
    MembershipStatus,
    MessageKind,
    PollStatus,
)
from bot.errors import NotFound
from bot.periods import Period, current_period, latest_period
from bot.results.digests import (
    ChannelDigest,
    DigestEvent,
    DigestPoll,
    DigestSignal,
    NetworkActivity,
    NetworkNews,
    PersonalDigest,
)
from bot.results.people import Actor
from bot.results.refs import NetworkRef, PersonRef
from bot.services import message_keys
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import find_network, require_coordinator
from bot.services.mapping import network_ref
from bot.services.people import Defaults
from bot.services.poll_cards import ANONYMITY_THRESHOLD
from bot.services.polls import PollService
from bot.services.recommendations import RecommendationService
from bot.similarity import PeopleIndex
from storage.database import Database
from storage.models import Event, Network, Person, Poll
from storage.repositories.events import UpcomingEvent
from storage.repositories.networks import DueDigest
from storage.store import Store

UPCOMING = timedelta(weeks=2)
NEW_MEMBERS_NAMED = 5
EVENTS_LISTED = 5
SIGNALS_LISTED = 3
SIMILAR_LISTED = 2
FOR_YOU_LISTED = 3
BATCH = 200
CHANNEL_SCHEDULES = (DigestSchedule.WEEKLY, DigestSchedule.BIWEEKLY, DigestSchedule.MONTHLY)
PERSONAL_FREQUENCIES = (DigestFrequency.DAILY, DigestFrequency.WEEKLY)


@dataclass(frozen=True)
class _Decision:
    """Whether one network's or person's digest for a period is worth sending, and to where."""

    workspace_id: int
    subject_id: int
    recipient: str
    worth_sending: bool


class DigestService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: Defaults,
        catalog: NetworkCatalog,
        recommendations: RecommendationService,
        polls: PollService,
    ) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults
        self._catalog = catalog
        self._recommendations = recommendations
        self._polls = polls

    # Coordinators -------------------------------------------------------------------------------

    def preview(self, actor: Actor, name: str) -> tuple[ChannelDigest, DigestSchedule]:
        """The network's next digest as it stands now, for its coordinators; nothing is sent."""
        with self._db.snapshot() as store:
            network = find_network(store, self._catalog, actor, name)
            require_coordinator(store, actor, network)
            schedule = network.digest_schedule
            period = current_period(schedule, self._clock.now(), self._defaults.timezone)
            return self._channel(store, network, period), schedule

    def set_schedule(self, actor: Actor, name: str, schedule: DigestSchedule) -> NetworkRef:
        """How often the network's channel gets its digest (coordinators)."""
        with self._db.transaction() as store:
            network = find_network(store, self._catalog, actor, name)
            require_coordinator(store, actor, network)
            network.digest_schedule = schedule
            network.updated_at = self._clock.now()
            return network_ref(network)

    # What the courier renders -----------------------------------------------------------------

    def channel_digest(
        self, workspace_id: int, network_id: int, period: Period
    ) -> ChannelDigest | None:
        with self._db.snapshot() as store:
            network = store.networks.by_id(workspace_id, network_id)
            return None if network is None else self._channel(store, network, period)

    def personal_digest(
        self, workspace_id: int, person_id: int, period: Period
    ) -> PersonalDigest | None:
        with self._db.snapshot() as store:
            person = store.people.by_id(workspace_id, person_id)
            return None if person is None else self._personal(store, person, period)

    # The worker ---------------------------------------------------------------------------------

    def queue_due(self, batch: int = BATCH) -> int:
        """Decide every digest due by now and queue those with something to say; how many."""
        return self.queue_channel_digests(batch) + self.queue_personal_digests(batch)

    def queue_channel_digests(self, batch: int = BATCH) -> int:
        """Decide the channel digests due by now; how many were queued."""
        now = self._clock.now()
        queued = 0
        # Who is in which network, read once for the run: every digest's "networks worth
        # knowing" weighs the members networks share.
        people: dict[int, PeopleIndex] = {}
        for schedule in CHANNEL_SCHEDULES:
            period = latest_period(schedule, now, self._defaults.timezone)
            assert period is not None
            after_id = 0
            while due := self._due_networks(schedule, period, after_id, batch):
                for workspace_id in {d.workspace_id for d in due} - set(people):
                    people[workspace_id] = self._people_index(workspace_id)
                queued += self._decide_channels(due, period, people)
                after_id = due[-1].network_id
        return queued

    def queue_personal_digests(self, batch: int = BATCH) -> int:
        """Decide the personal digests due by now; how many were queued."""
        now = self._clock.now()
        queued = 0
        people: dict[int, PeopleIndex] = {}
        for frequency in PERSONAL_FREQUENCIES:
            period = latest_period(frequency, now, self._defaults.timezone)
            assert period is not None
            after_id = 0
            while away := self._away(frequency, period, after_id, batch):
                for workspace_id in {person.workspace_id for person in away} - set(people):
                    people[workspace_id] = self._people_index(workspace_id)
                queued += self._decide_personal(away, period, people)
                after_id = away[-1].id
        return queued

    def _people_index(self, workspace_id: int) -> PeopleIndex:
        with self._db.snapshot() as store:
            return PeopleIndex(store.memberships.active_pairs(workspace_id))

    def _due_networks(
        self, schedule: DigestSchedule, period: Period, after_id: int, batch: int
    ) -> Sequence[DueDigest]:
        with self._db.snapshot() as store:
            return store.networks.due_digests(schedule, period.start, after_id, batch)

    def _away(
        self, frequency: DigestFrequency, period: Period, after_id: int, batch: int
    ) -> Sequence[Person]:
        with self._db.snapshot() as store:
            return store.people.away(frequency, period.start, after_id, batch)

    def _decide_channels(
        self, due: Sequence[DueDigest], period: Period, people: Mapping[int, PeopleIndex]
    ) -> int:
        """A batch of networks' digests, composed together and decided in one transaction."""
        with self._db.transaction() as store:
            refs = [
                self._catalog.of(store, d.workspace_id).by_id[d.network_id].summary.ref for d in due
            ]
            news = self._news(store, refs, period)
            worth_sending = {}
            for d in due:
                similar = self._recommendations.like_network(
                    store,
                    d.workspace_id,
                    d.network_id,
                    SIMILAR_LISTED,
                    index=people[d.workspace_id],
                )
                digest = ChannelDigest(news[d.network_id], similar, self._defaults.language)
                worth_sending[d.network_id] = not digest.is_empty
            decisions = [
                _Decision(d.workspace_id, d.network_id, d.channel_id, worth_sending[d.network_id])
                for d in due
            ]
            return self._decide(
                store, DigestSubject.NETWORK, MessageKind.CHANNEL_DIGEST, period, decisions
            )

    def _decide_personal(
        self, away: Sequence[Person], period: Period, people: Mapping[int, PeopleIndex]
    ) -> int:
        """A batch of people's digests, composed and decided in one transaction."""
        with self._db.transaction() as store:
            digests = [
                (person, self._personal(store, person, period, people[person.workspace_id]))
                for person in away
            ]
            decisions = [
                _Decision(person.workspace_id, person.id, person.user_id, not digest.is_empty)
                for person, digest in digests
            ]
            queued = self._decide(
                store, DigestSubject.PERSON, MessageKind.PERSONAL_DIGEST, period, decisions
            )
            now = self._clock.now()
            for person, digest in digests:
                if not digest.is_empty:
                    shown = [recommendation.network.ref.id for recommendation in digest.for_you]
                    store.suggestions.shown(person.workspace_id, person.id, shown, now)
            return queued

    def _decide(
        self,
        store: Store,
        subject: DigestSubject,
        kind: MessageKind,
        period: Period,
        decisions: Sequence[_Decision],
    ) -> int:
        """Record the period's decisions; queue the digests this worker decided first and that
        have something to say. How many were queued."""
        now = self._clock.now()
        first = store.digests.decide(
            subject,
            period.start,
            period.end,
            [(d.workspace_id, d.subject_id, d.worth_sending) for d in decisions],
            now,
        )
        payload = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        return store.outbox.put_many(
            [
                {
                    "workspace_id": d.workspace_id,
                    "network_id": d.subject_id if kind is MessageKind.CHANNEL_DIGEST else None,
                    "key": message_keys.digest(subject.value, d.subject_id, payload["start"]),
                    "kind": kind,
                    "recipient": d.recipient,
                    "payload": {"subject_id": d.subject_id, **payload},
                }
                for d in decisions
                if d.worth_sending and d.subject_id in first
            ],
            now,
        )

    # Composing ----------------------------------------------------------------------------------

    def _channel(self, store: Store, network: Network, period: Period) -> ChannelDigest:
        news = self._news(store, [network_ref(network)], period)[network.id]
        similar = self._recommendations.like_network(
            store, network.workspace_id, network.id, SIMILAR_LISTED
        )
        return ChannelDigest(news, similar, self._defaults.language)

    def _news(
        self, store: Store, networks: Sequence[NetworkRef], period: Period
    ) -> dict[int, NetworkNews]:
        """What happened in each network during the period, read for all of them at once."""
        ids = [network.id for network in networks]
        joined = store.memberships.joined_between(ids, period.start, period.end, NEW_MEMBERS_NAMED)
        events: dict[int, list[DigestEvent]] = {}
        for event in store.events.starting_between(
            ids, period.end, period.end + UPCOMING, period.end
        ):
            events.setdefault(event.network_id, []).append(
                _digest_event(event, event.going, event.maybe)
            )
        polls: dict[int, list[DigestPoll]] = {}
        found = store.polls.open_or_closed_between(ids, period.start, period.end)
        shown = self._digest_polls(store, found, period)
        for poll in found:
            polls.setdefault(poll.network_id, []).append(shown[poll.id])
        signals: dict[int, list[DigestSignal]] = {}
        for signal, seconds in store.signals.between(ids, period.start, period.end):
            signals.setdefault(signal.network_id, []).append(DigestSignal(signal.text, seconds))
        news = {}
        for network in networks:
            count, newcomers = joined.get(network.id, (0, []))
            its_polls = polls.get(network.id, [])
            its_signals = signals.get(network.id, [])
            news[network.id] = NetworkNews(
                network=network,
                period_start=period.start,
                period_end=period.end,
                new_member_count=count,
                new_members=tuple(PersonRef(*newcomer) for newcomer in newcomers),
                events=tuple(events.get(network.id, [])[:EVENTS_LISTED]),
                open_polls=tuple(poll for poll in its_polls if not poll.closed),
                closed_polls=tuple(poll for poll in its_polls if poll.closed),
                signal_count=len(its_signals),
                signals=tuple(its_signals[:SIGNALS_LISTED]),
            )
        return news

    def _digest_polls(
        self, store: Store, polls: Sequence[Poll], period: Period
    ) -> dict[int, DigestPoll]:
        """Each poll as of the period's end: open, or closed with what won."""
        tallies = store.ballots.tallies([poll.id for poll in polls]) if polls else {}
        found = {}
        for poll in polls:
            voters, votes = tallies.get(poll.id, (0, {}))
            closed = poll.status is PollStatus.CLOSED and poll.closed_at is not None
            closed = closed and poll.closed_at < period.end
            shown = closed and voters > 0
            shown = shown and not (poll.anonymous and voters < ANONYMITY_THRESHOLD)
            best = max(votes.values(), default=0)
            leading = tuple(o.label for o in poll.options if shown and votes.get(o.id) == best)
            found[poll.id] = DigestPoll(
                id=poll.id,
                question=poll.question,
                voters=voters,
                closed=closed,
                closes_at=poll.closes_at,
                leading=leading,
                leading_votes=best if leading else 0,
            )
        return found

    def _personal(
        self, store: Store, person: Person, period: Period, people: PeopleIndex | None = None
    ) -> PersonalDigest:
        memberships = store.memberships.current_of_person(person.id)
        networks = {
            m.network_id: m.network for m in memberships if m.status is MembershipStatus.ACTIVE
        }
        if not networks:
            return PersonalDigest(period.start, period.end)
        refs = {network_id: network_ref(n) for network_id, n in networks.items()}
        going = store.rsvps.of_person_starting_between(
            person.id,
            (Attendance.GOING, Attendance.WAITLISTED),
            period.end,
            period.end + UPCOMING,
        )
        polls = store.polls.open_or_closed_between(list(networks), period.start, period.end)
        digest_polls = self._digest_polls(store, polls, period)
        voted = store.ballots.voters_with_choices_in([poll.id for poll in polls])
        waiting, results = [], []
        for poll in polls:
            has_voted = (poll.id, self._polls.voter_key(poll.id, person.id)) in voted
            shown = digest_polls[poll.id]
            if not shown.closed and not has_voted:
                waiting.append((refs[poll.network_id], shown))
            elif shown.closed and has_voted:
                results.append((refs[poll.network_id], shown))
        activity = store.digests.activity(list(networks), period.start, period.end)
        return PersonalDigest(
            period_start=period.start,
            period_end=period.end,
            going_to=tuple(
                (refs[event.network_id], _digest_event(event, 0, 0))
                for event in going
                if event.network_id in refs
            ),
            waiting_polls=tuple(waiting),
            results=tuple(results),
            networks=tuple(
                NetworkActivity(refs[network_id], *counts)
                for network_id, counts in sorted(activity.items())
            ),
            for_you=self._recommendations.for_member(
                store, person.workspace_id, person.id, FOR_YOU_LISTED, index=people
            ),
        )


def _digest_event(event: Event | UpcomingEvent, going: int, maybe: int) -> DigestEvent:
    return DigestEvent(
        id=event.id,
        title=event.title,
        starts_at=event.starts_at,
        timezone=event.timezone,
        going=going,
        maybe=maybe,
        capacity=event.capacity,
    )


def digest_period(payload: dict[str, object]) -> Period:
    """The period an outbox digest message covers."""
    try:
        return Period(
            datetime.fromisoformat(str(payload["start"])),
            datetime.fromisoformat(str(payload["end"])),
        )
    except (KeyError, ValueError) as error:
        raise NotFound("error.stale_action") from error
