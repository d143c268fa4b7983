"""A person's own page (Slack's App Home; in Teams, a home card in the personal chat): their
networks with what comes next in each, the events they are going to, the polls waiting for them,
networks for them, their settings, and for coordinators the requests waiting for an answer."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain import Attendance, MembershipStatus, Role
from bot.results.events import EventCard, EventListing
from bot.results.home import HomeNetwork, HomePage, TroubledChannel
from bot.results.memberships import JoinRequest
from bot.results.people import Actor
from bot.services.events import EventService
from bot.services.mapping import network_ref, person_ref
from bot.services.memberships import MembershipService
from bot.services.outbox import OutboxService
from bot.services.people import PeopleService
from bot.services.polls import PollService
from bot.services.recommendations import RecommendationService
from storage.database import Database

FOR_YOU = 3
# Coordinators see what could not be sent about their networks in this many recent days.
UNDELIVERED_DAYS = 30
UNDELIVERED_SHOWN = 10
# The networks whose linked channels are in trouble, shown to a coordinator at most.
TROUBLED_SHOWN = 5
# The answers that make an event one the person is going to.
COMING = (Attendance.GOING, Attendance.WAITLISTED, Attendance.MAYBE)


class HomeService:
    def __init__(
        self,
        db: Database,
        people: PeopleService,
        memberships: MembershipService,
        events: EventService,
        polls: PollService,
        recommendations: RecommendationService,
        outbox: OutboxService,
        clock: Clock,
    ) -> None:
        self._db = db
        self._people = people
        self._memberships = memberships
        self._events = events
        self._polls = polls
        self._recommendations = recommendations
        self._outbox = outbox
        self._clock = clock

    def page(self, actor: Actor) -> HomePage:
        """The actor's Home as it stands now."""
        mine = self._memberships.mine(actor)
        upcoming = self._events.upcoming(actor)
        waiting = self._polls.waiting_for(actor)
        next_event: dict[int, EventCard] = {}
        for card in upcoming.events:
            next_event.setdefault(card.network.id, card)
        coordinated = {
            view.network.id
            for view in mine
            if view.status is MembershipStatus.ACTIVE and view.role is Role.COORDINATOR
        }
        networks = tuple(
            HomeNetwork(
                membership=view,
                next_event=next_event.get(view.network.id),
                waiting_polls=sum(poll.network.id == view.network.id for poll in waiting),
                coordinated=view.network.id in coordinated,
            )
            for view in mine
        )
        going = tuple(card for card in upcoming.events if upcoming.mine.get(card.id) in COMING)
        return HomePage(
            networks=networks,
            events=EventListing(None, going, upcoming.mine, upcoming.manageable),
            polls=waiting,
            for_you=self._recommendations.for_person(actor, FOR_YOU),
            requests=self._requests(sorted(coordinated)),
            undelivered=self._outbox.undelivered(
                sorted(coordinated),
                self._clock.now() - timedelta(days=UNDELIVERED_DAYS),
                UNDELIVERED_SHOWN,
            ),
            troubled_channels=self._troubled_channels(sorted(coordinated)),
            reminders=self._people.reminders_enabled(actor),
            digest_frequency=self._people.digest_frequency(actor),
            is_workspace_admin=actor.is_workspace_admin,
        )

    def _troubled_channels(self, network_ids: list[int]) -> tuple[TroubledChannel, ...]:
        if not network_ids:
            return ()
        with self._db.snapshot() as store:
            return tuple(
                TroubledChannel(
                    network_ref(network),
                    network.channel_id,
                    network.channel_trouble,
                    network.channel_trouble_at,
                )
                for network in store.networks.with_channel_trouble(network_ids, TROUBLED_SHOWN)
                if network.channel_id and network.channel_trouble and network.channel_trouble_at
            )

    def _requests(self, network_ids: list[int]) -> tuple[JoinRequest, ...]:
        if not network_ids:
            return ()
        with self._db.snapshot() as store:
            return tuple(
                JoinRequest(
                    m.id,
                    network_ref(m.network),
                    person_ref(m.person),
                    external=m.person.organisation_id is not None,
                )
                for m in store.memberships.pending_in(network_ids)
            )
