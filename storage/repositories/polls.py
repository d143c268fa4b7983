"""Polls and their ballots."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    and_,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.domain import (
    EventStatus,
    PollStatus,
)
from storage.models import (
    Ballot,
    BallotChoice,
    Event,
    Poll,
    PollOption,
)
from storage.repositories.sql import claimable, insert_ignoring_duplicates, is_postgresql


class Polls:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open_or_closed_between(
        self, network_ids: Collection[int], start: datetime, end: datetime
    ) -> Sequence[Poll]:
        """The networks' polls (not event feedback) open at `end`, or closed in [start, end),
        with their options."""
        open_at_end = and_(
            Poll.created_at < end,
            or_(Poll.status == PollStatus.OPEN, Poll.closed_at >= end),
        )
        closed_within = and_(Poll.closed_at >= start, Poll.closed_at < end)
        return (
            self.session.scalars(
                select(Poll)
                .options(joinedload(Poll.options))
                .where(
                    Poll.network_id.in_(network_ids),
                    Poll.event_id.is_(None),
                    or_(open_at_end, closed_within),
                )
                .order_by(Poll.created_at, Poll.id)
            )
            .unique()
            .all()
        )

    def by_id(self, workspace_id: int, poll_id: int, lock: bool = False) -> Poll | None:
        """A poll with its network and options; `lock` holds it until commit."""
        query = (
            select(Poll)
            .options(joinedload(Poll.network, innerjoin=True), joinedload(Poll.options))
            .where(Poll.workspace_id == workspace_id, Poll.id == poll_id)
        )
        if lock and is_postgresql(self.session):
            query = query.with_for_update(of=Poll).execution_options(populate_existing=True)
        return self.session.scalars(query).unique().one_or_none()

    def add(self, poll: Poll, labels: Sequence[str]) -> Poll:
        self.session.add(poll)
        self.session.flush()
        for position, label in enumerate(labels):
            self.session.add(PollOption(poll_id=poll.id, position=position, label=label))
        self.session.flush()
        self.session.refresh(poll, ["options"])
        return poll

    def add_feedback(self, poll: Poll, labels: Sequence[str]) -> bool:
        """Add an event's feedback poll unless the event has one already; True when added."""
        values = {
            column.key: getattr(poll, column.key)
            for column in Poll.__table__.columns
            if column.key != "id"
        }
        if not insert_ignoring_duplicates(self.session, Poll.__table__, values):
            return False
        poll.id = self.session.scalar(select(Poll.id).where(Poll.event_id == poll.event_id))
        for position, label in enumerate(labels):
            self.session.add(PollOption(poll_id=poll.id, position=position, label=label))
        self.session.flush()
        return True

    def add_option(self, poll: Poll, label: str, person_id: int) -> None:
        position = max((option.position for option in poll.options), default=-1) + 1
        self.session.add(
            PollOption(poll_id=poll.id, position=position, label=label, added_by=person_id)
        )
        self.session.flush()
        self.session.refresh(poll, ["options"])

    def claim_due(self, now: datetime, limit: int) -> Sequence[Poll]:
        """Open polls whose closing time has come, for this transaction alone."""
        query = (
            select(Poll)
            .options(joinedload(Poll.network, innerjoin=True), selectinload(Poll.options))
            .where(Poll.status == PollStatus.OPEN, Poll.closes_at <= now)
            .order_by(Poll.closes_at, Poll.id)
            .limit(limit)
        )
        if is_postgresql(self.session):
            query = query.with_for_update(of=Poll, skip_locked=True)
        return self.session.scalars(query).all()

    def events_without_feedback(
        self, now: datetime, ended_after: datetime, limit: int
    ) -> Sequence[Event]:
        """Events that ended (since `ended_after`), were held, and have no feedback poll yet."""
        asked = select(Poll.event_id).where(Poll.event_id.is_not(None))
        query = (
            select(Event)
            .where(
                Event.status == EventStatus.SCHEDULED,
                Event.ends_at <= now,
                Event.ends_at > ended_after,
                Event.id.not_in(asked),
            )
            .order_by(Event.ends_at, Event.id)
            .limit(limit)
        )
        return self.session.scalars(claimable(self.session, query)).all()


class Ballots:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(
        self,
        poll_id: int,
        voter: str,
        person_id: int | None,
        voted_at: datetime | None,
        lock: bool = False,
    ) -> Ballot:
        """The voter's ballot, made empty on first use; `lock` holds it until commit, so that
        one voter's clicks are counted one after the other."""
        values = {"poll_id": poll_id, "voter": voter, "person_id": person_id, "voted_at": voted_at}
        insert_ignoring_duplicates(self.session, Ballot.__table__, values)
        query = (
            select(Ballot)
            .options(joinedload(Ballot.choices))
            .where(Ballot.poll_id == poll_id, Ballot.voter == voter)
        )
        if lock and is_postgresql(self.session):
            query = query.with_for_update(of=Ballot).execution_options(populate_existing=True)
        ballot = self.session.scalars(query).unique().one_or_none()
        assert ballot is not None
        if voted_at is not None:
            ballot.voted_at = voted_at
        return ballot

    def set_choices(self, ballot: Ballot, option_ids: set[int]) -> None:
        ballot.choices = [BallotChoice(option_id=option_id) for option_id in sorted(option_ids)]
        self.session.flush()

    def counts(self, poll_id: int) -> dict[int, int]:
        """Votes per option id."""
        rows = self.session.execute(
            select(BallotChoice.option_id, func.count())
            .join(Ballot, Ballot.id == BallotChoice.ballot_id)
            .where(Ballot.poll_id == poll_id)
            .group_by(BallotChoice.option_id)
        )
        return {option_id: count for option_id, count in rows}

    def tallies(self, poll_ids: Collection[int]) -> dict[int, tuple[int, dict[int, int]]]:
        """For each poll with votes: how many chose something, and the votes per option id
        (one statement: the votes per option, and per poll the ballots that chose)."""
        chosen = (
            select(Ballot.poll_id, BallotChoice.option_id, BallotChoice.ballot_id)
            .join(Ballot, Ballot.id == BallotChoice.ballot_id)
            .where(Ballot.poll_id.in_(poll_ids))
            .subquery()
        )
        per_option = select(chosen.c.poll_id, chosen.c.option_id, func.count()).group_by(
            chosen.c.poll_id, chosen.c.option_id
        )
        per_poll = select(
            chosen.c.poll_id, literal(None), func.count(func.distinct(chosen.c.ballot_id))
        ).group_by(chosen.c.poll_id)
        found: dict[int, tuple[int, dict[int, int]]] = {}
        votes: dict[int, dict[int, int]] = {}
        for poll_id, option_id, count in self.session.execute(union_all(per_option, per_poll)):
            if option_id is None:
                found[poll_id] = (count, votes.setdefault(poll_id, {}))
            else:
                votes.setdefault(poll_id, {})[option_id] = count
        return found

    def voter_count(self, poll_id: int) -> int:
        """People who have chosen at least one option."""
        return (
            self.session.scalar(
                select(func.count(func.distinct(BallotChoice.ballot_id)))
                .join(Ballot, Ballot.id == BallotChoice.ballot_id)
                .where(Ballot.poll_id == poll_id)
            )
            or 0
        )

    def voters_with_choices(self, poll_id: int) -> set[str]:
        """The voter keys of ballots that choose something."""
        return set(
            self.session.scalars(
                select(Ballot.voter)
                .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
                .where(Ballot.poll_id == poll_id)
            )
        )

    def voters_with_choices_in(self, poll_ids: Collection[int]) -> set[tuple[int, str]]:
        """(poll id, voter key) of every ballot that chooses something in these polls."""
        if not poll_ids:
            return set()
        rows = self.session.execute(
            select(Ballot.poll_id, Ballot.voter)
            .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
            .where(Ballot.poll_id.in_(poll_ids))
            .distinct()
        )
        return {(poll_id, voter) for poll_id, voter in rows}

    def of_poll(self, poll_id: int) -> Sequence[Ballot]:
        return self.session.scalars(
            select(Ballot)
            .options(selectinload(Ballot.choices), joinedload(Ballot.person))
            .where(Ballot.poll_id == poll_id)
            .order_by(Ballot.id)
        ).all()
