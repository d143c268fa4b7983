"""The use cases, free of any chat platform. Build them once per process with `Services.build`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.i18n import load_every_language
from bot.services.addresses import AddressBook
from bot.services.calendars import CalendarService
from bot.services.catalog import NetworkCatalog
from bot.services.deliveries import DeliveryLog
from bot.services.digests import DigestService
from bot.services.events import EventService
from bot.services.handed_files import HandedFileService
from bot.services.home import HomeService
from bot.services.importer import NetworkImporter
from bot.services.memberships import MembershipService
from bot.services.networks import NetworkDirectory
from bot.services.outbox import OutboxService
from bot.services.people import Defaults, PeopleService
from bot.services.polls import PollService
from bot.services.privacy import PrivacyService
from bot.services.public_directory import PublicDirectory
from bot.services.recommendations import RecommendationService
from bot.services.reminders import ReminderService
from bot.services.reports import ReportService
from bot.services.signals import SignalService
from bot.services.workspaces import WorkspaceService
from bot.settings import Settings
from storage.database import Database
from storage.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Services:
    db: Database
    clock: Clock
    defaults: Defaults
    people: PeopleService
    networks: NetworkDirectory
    memberships: MembershipService
    importer: NetworkImporter
    deliveries: DeliveryLog
    events: EventService
    reminders: ReminderService
    outbox: OutboxService
    calendars: CalendarService
    polls: PollService
    recommendations: RecommendationService
    signals: SignalService
    digests: DigestService
    reports: ReportService
    privacy: PrivacyService
    home: HomeService
    addresses: AddressBook
    handed_files: HandedFileService
    public: PublicDirectory
    workspaces: WorkspaceService

    @classmethod
    def build(cls, settings: Settings, db: Database, clock: Clock | None = None) -> Services:
        clock = clock or SystemClock()
        defaults = Defaults(settings.verkosto_language, settings.verkosto_timezone)
        catalog = NetworkCatalog()
        recommendations = RecommendationService(db, clock, catalog)
        polls = PollService(db, clock, defaults, settings.ballot_key(), catalog)
        people = PeopleService(db, clock, defaults)
        memberships = MembershipService(db, clock, defaults, catalog, settings.partner_kinds())
        events = EventService(db, clock, defaults, catalog)
        outbox = OutboxService(db, clock, timedelta(seconds=settings.verkosto_refresh_seconds))
        return cls(
            db=db,
            clock=clock,
            defaults=defaults,
            people=people,
            networks=NetworkDirectory(db, clock, catalog),
            memberships=memberships,
            importer=NetworkImporter(db, clock),
            deliveries=DeliveryLog(db, clock),
            events=events,
            reminders=ReminderService(db, clock),
            outbox=outbox,
            calendars=CalendarService(db, clock, defaults.language),
            polls=polls,
            recommendations=recommendations,
            signals=SignalService(db, clock, defaults, catalog),
            digests=DigestService(db, clock, defaults, catalog, recommendations, polls),
            reports=ReportService(db, clock, catalog),
            privacy=PrivacyService(db, clock, polls, settings.verkosto_retention_days),
            home=HomeService(
                db, people, memberships, events, polls, recommendations, outbox, clock
            ),
            addresses=AddressBook(db, clock),
            handed_files=HandedFileService(db, clock),
            public=PublicDirectory(db, clock, recommendations, defaults.language),
            workspaces=WorkspaceService(db, clock),
        )

    def warm(self, connections: int = 1) -> None:
        """Do now what the first requests would otherwise pay for: `connections` database
        connections, every language's messages, and each workspace's network catalog and
        topic model."""
        self.db.warm(connections)
        load_every_language()
        with self.db.snapshot() as store:
            for workspace in store.workspaces.all():
                self.recommendations.prepare(store, workspace.id)

    def ready(self) -> bool:
        """Whether the database answers and its schema is at the migrations' head."""
        try:
            return current_revision(self.db) == head_revision()
        except Exception:
            return False

    def healthy(self) -> bool:
        """Whether the database answers."""
        try:
            self.db.ping()
        except Exception:
            return False
        return True
