"""Reports for coordinators: what a network did and achieved in a period, week by week, for the
regular evaluations networks undergo. The same report reaches Slack and the command line."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import ReportPeriod
from bot.errors import Conflict, InvalidInput, NotFound
from bot.results.people import Actor
from bot.results.reports import NetworkReport, ReportEvent, ReportPoll, ReportWeek
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import find_network, require_coordinator
from bot.services.mapping import network_ref
from bot.tables import csv_cell
from storage.database import Database
from storage.models import Network
from storage.store import Store

DEFAULT_SPAN = timedelta(days=90)
LONGEST_SPAN = timedelta(days=3 * 366)
WEEK = timedelta(weeks=1)


class ReportService:
    def __init__(self, db: Database, clock: Clock, catalog: NetworkCatalog) -> None:
        self._db = db
        self._clock = clock
        self._catalog = catalog

    def report(self, actor: Actor, name: str, period: ReportPeriod | None = None) -> NetworkReport:
        """A network's report for its coordinators; the last 90 days unless told otherwise
        (days are whole days in the coordinator's time zone)."""
        start, end = self._moments(period or ReportPeriod(span=DEFAULT_SPAN), actor.timezone)
        with self._db.snapshot() as store:
            network = find_network(store, self._catalog, actor, name)
            require_coordinator(store, actor, network)
            return _report(store, network, *_checked(start, end))

    def report_of(
        self, slug: str, first: date, last: date, timezone: str, team_id: str | None = None
    ) -> NetworkReport:
        """A network's report by its short name, from the first day to the last, for the
        command line: of the workspace `team_id`, or of the only one that has such a network
        (several: `Conflict`, naming them)."""
        start, end = self._moments(ReportPeriod(first=first, last=last), timezone)
        with self._db.snapshot() as store:
            found = [
                (workspace.team_id, network)
                for workspace in store.workspaces.all()
                if team_id in (None, workspace.team_id)
                and (network := store.networks.by_slug(workspace.id, slug)) is not None
            ]
            if len(found) > 1:
                teams = ", ".join(team for team, _ in found)
                raise Conflict("cli.report_which_workspace", name=slug, teams=teams)
            if not found:
                raise NotFound(name=slug)
            return _report(store, found[0][1], *_checked(start, end))

    def _moments(self, period: ReportPeriod, timezone: str) -> tuple[datetime, datetime]:
        if period.span is not None:
            now = self._clock.now()
            return now - period.span, now
        assert period.first is not None and period.last is not None
        zone = ZoneInfo(timezone)
        first = datetime.combine(period.first, time(), tzinfo=zone)
        after_last = datetime.combine(period.last + timedelta(days=1), time(), tzinfo=zone)
        return first.astimezone(UTC), after_last.astimezone(UTC)


def _checked(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if not start < end:
        raise InvalidInput("error.report.order")
    if end - start > LONGEST_SPAN:
        raise InvalidInput("error.report.too_long", years=3)
    return start, end


def _members_at(spells: Sequence[tuple[int, datetime, datetime | None]], moment: datetime) -> int:
    return sum(
        1 for _, joined, left in spells if joined <= moment and (left is None or left > moment)
    )


def _report(store: Store, network: Network, start: datetime, end: datetime) -> NetworkReport:
    reports = store.reports
    spells = reports.spells(network.id)
    held = reports.events_held(network.id, start, end)
    polls = reports.polls_asked(network.id, start, end)
    tallies = store.ballots.tallies([poll.id for poll in polls]) if polls else {}
    signals = store.signals.between([network.id], start, end)
    weeks = []
    week_start = start
    while week_start < end:
        week_end = min(week_start + WEEK, end)

        def within(
            moment: datetime | None, low: datetime = week_start, high: datetime = week_end
        ) -> bool:
            return moment is not None and low <= moment < high

        weeks.append(
            ReportWeek(
                start=week_start,
                members=_members_at(spells, week_end - timedelta(microseconds=1)),
                joined=sum(1 for _, joined, _ in spells if within(joined)),
                left=sum(1 for _, _, left in spells if within(left)),
                events=sum(1 for event, _ in held if within(event.ends_at)),
                attendance=sum(going for event, going in held if within(event.ends_at)),
                votes=sum(tallies.get(p.id, (0, {}))[0] for p in polls if within(p.created_at)),
                signals=sum(1 for signal, _ in signals if within(signal.created_at)),
            )
        )
        week_start = week_end
    members_now = {
        person for person, joined, left in spells if joined < end and (left is None or left >= end)
    }
    elsewhere = reports.elsewhere(members_now, network.id)
    external = store.people.organisations_of(members_now)
    return NetworkReport(
        network=network_ref(network),
        start=start,
        end=end,
        members_at_start=_members_at(spells, start),
        members_at_end=len(members_now),
        joined=sum(1 for _, joined, _ in spells if start <= joined < end),
        left=sum(1 for _, _, left in spells if left is not None and start <= left < end),
        active=len(reports.active_people(network.id, start, end)),
        weeks=tuple(weeks),
        events=tuple(
            ReportEvent(e.title, e.starts_at, going, e.feedback_score, e.feedback_count)
            for e, going in held
        ),
        polls=tuple(
            ReportPoll(
                p.question,
                p.created_at,
                tallies.get(p.id, (0, {}))[0],
                _members_at(spells, p.created_at),
                p.anonymous,
            )
            for p in polls
        ),
        signals=len(signals),
        signal_seconds=sum(seconds for _, seconds in signals),
        in_other_networks=len({person for person, _, _ in elsewhere}),
        other_networks=len({other for _, other, _ in elsewhere}),
        other_organisations=len({org for _, _, org in elsewhere if org}),
        joined_through_suggestion=store.suggestions.joined_through(network.id, start, end),
        external_members=len(external),
        external_organisations=len(set(external.values())),
    )


def report_csv(report: NetworkReport, timezone: str) -> str:
    """The report's weeks as CSV (each week by its first day in `timezone`), with the events
    and polls after them."""
    zone = ZoneInfo(timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["week_start", "members", "joined", "left", "events", "attendance", "votes", "signals"]
    )
    for week in report.weeks:
        writer.writerow(
            [
                week.start.astimezone(zone).date().isoformat(),
                week.members,
                week.joined,
                week.left,
                week.events,
                week.attendance,
                week.votes,
                week.signals,
            ]
        )
    writer.writerow([])
    writer.writerow(["event", "starts_at", "going", "feedback_score", "feedback_answers"])
    for event in report.events:
        score = f"{event.feedback_score:.2f}" if event.feedback_score is not None else ""
        writer.writerow(
            [
                csv_cell(event.title),
                event.starts_at.isoformat(timespec="minutes"),
                event.going,
                score,
                event.feedback_count,
            ]
        )
    writer.writerow([])
    writer.writerow(["poll", "asked_at", "voters", "members_then", "anonymous"])
    for poll in report.polls:
        writer.writerow(
            [
                csv_cell(poll.question),
                poll.created_at.isoformat(timespec="minutes"),
                poll.voters,
                poll.members,
                "yes" if poll.anonymous else "no",
            ]
        )
    return out.getvalue()
