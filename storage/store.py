"""The repositories of one transaction, in one object."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.reads.digests import Digests
from storage.reads.personal_data import PersonalData
from storage.reads.reports import Reports
from storage.repositories.addresses import Addresses
from storage.repositories.audit import AuditLog, DeliveredEvents
from storage.repositories.events import Events, Reminders, Rsvps
from storage.repositories.handed_files import HandedFiles
from storage.repositories.memberships import Memberships
from storage.repositories.networks import Networks
from storage.repositories.outbox import Outbox
from storage.repositories.people import People
from storage.repositories.polls import Ballots, Polls
from storage.repositories.signals import Signals
from storage.repositories.suggestions import Suggestions
from storage.repositories.workspaces import Workspaces


class Store:
    """The repositories of one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # What callers choose to read once per transaction (a workspace's networks version).
        self.read_once: dict[object, Any] = {}
        self.workspaces = Workspaces(session)
        self.people = People(session)
        self.networks = Networks(session)
        self.memberships = Memberships(session)
        self.audit = AuditLog(session)
        self.deliveries = DeliveredEvents(session)
        self.events = Events(session)
        self.rsvps = Rsvps(session)
        self.reminders = Reminders(session)
        self.outbox = Outbox(session)
        self.polls = Polls(session)
        self.ballots = Ballots(session)
        self.signals = Signals(session)
        self.digests = Digests(session)
        self.reports = Reports(session)
        self.personal_data = PersonalData(session)
        self.addresses = Addresses(session)
        self.handed_files = HandedFiles(session)
        self.suggestions = Suggestions(session)

    def flush(self) -> None:
        self.session.flush()
