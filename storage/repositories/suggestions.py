"""Which networks were suggested to whom and what came of it: no text, only the pair and when."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from bot.domain import MembershipStatus, SuggestionOutcome
from storage.models import Membership, Suggestion
from storage.repositories.sql import upsert


class Suggestions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def shown(
        self, workspace_id: int, person_id: int, network_ids: Collection[int], now: datetime
    ) -> None:
        """The person was shown these networks now."""
        for network_id in sorted(set(network_ids)):
            self._set(workspace_id, person_id, network_id, shown_at=now)

    def acted(
        self,
        person_id: int,
        network_id: int,
        outcome: SuggestionOutcome,
        now: datetime,
        shown_since: datetime,
    ) -> None:
        """The person joined or opened a network they were shown since `shown_since`; an
        opening never overwrites a joining, nor anything a refusal."""
        undecided = Suggestion.outcome.is_(None)
        if outcome is SuggestionOutcome.JOINED:
            undecided = or_(undecided, Suggestion.outcome == SuggestionOutcome.OPENED)
        self.session.execute(
            update(Suggestion)
            .where(
                Suggestion.person_id == person_id,
                Suggestion.network_id == network_id,
                Suggestion.shown_at >= shown_since,
                undecided,
            )
            .values(outcome=outcome, acted_at=now)
        )

    def not_interested(
        self, workspace_id: int, person_id: int, network_id: int, now: datetime
    ) -> None:
        """The person does not want this network suggested again."""
        self._set(
            workspace_id,
            person_id,
            network_id,
            outcome=SuggestionOutcome.NOT_INTERESTED,
            acted_at=now,
        )

    def _set(self, workspace_id: int, person_id: int, network_id: int, **values: Any) -> None:
        """The person's suggestion of the network, made or updated with `values`."""
        keys = {"workspace_id": workspace_id, "person_id": person_id, "network_id": network_id}
        upsert(
            self.session,
            Suggestion,
            [{**keys, **values}],
            keys=("person_id", "network_id"),
            update=tuple(values),
        )

    def undecided(self, person_id: int, network_id: int, shown_since: datetime) -> bool:
        """Whether the network was shown to the person since `shown_since`, and they have done
        nothing about it yet."""
        query = select(Suggestion.id).where(
            Suggestion.person_id == person_id,
            Suggestion.network_id == network_id,
            Suggestion.shown_at >= shown_since,
            Suggestion.outcome.is_(None),
        )
        return self.session.scalar(query) is not None

    def refused_by(self, person_id: int) -> set[int]:
        """The networks the person said they are not interested in."""
        query = select(Suggestion.network_id).where(
            Suggestion.person_id == person_id,
            Suggestion.outcome == SuggestionOutcome.NOT_INTERESTED,
        )
        return set(self.session.scalars(query))

    def uptake(self, source_ids: Collection[int]) -> dict[int, tuple[int, int, int]]:
        """How the present members of the source networks took up each network suggested to
        them: how many were shown it, how many joined or opened it, and how many said they are
        not interested (a person in several sources counts once for each)."""
        if not source_ids:
            return {}
        taken = Suggestion.outcome.in_([SuggestionOutcome.JOINED, SuggestionOutcome.OPENED])
        refused = Suggestion.outcome == SuggestionOutcome.NOT_INTERESTED
        query = (
            select(
                Suggestion.network_id,
                func.count(),
                func.sum(case((taken, 1), else_=0)),
                func.sum(case((refused, 1), else_=0)),
            )
            .join(
                Membership,
                and_(
                    Membership.person_id == Suggestion.person_id,
                    Membership.network_id.in_(list(source_ids)),
                    Membership.status == MembershipStatus.ACTIVE,
                ),
            )
            .where(Suggestion.network_id.not_in(list(source_ids)))
            .group_by(Suggestion.network_id)
        )
        return {
            network_id: (int(shown), int(taken or 0), int(refused or 0))
            for network_id, shown, taken, refused in self.session.execute(query)
        }

    def joined_through(self, network_id: int, start: datetime, end: datetime) -> int:
        """How many people joined the network (or asked to) between `start` and `end`, soon
        after it was suggested to them."""
        query = select(func.count()).where(
            Suggestion.network_id == network_id,
            Suggestion.outcome == SuggestionOutcome.JOINED,
            Suggestion.acted_at >= start,
            Suggestion.acted_at < end,
        )
        return int(self.session.scalar(query) or 0)

    def of_person(self, person_id: int) -> list[Suggestion]:
        """Everything kept of the suggestions made to a person, oldest first."""
        query = (
            select(Suggestion)
            .options(joinedload(Suggestion.network))
            .where(Suggestion.person_id == person_id)
            .order_by(Suggestion.id)
        )
        return list(self.session.scalars(query))

    def prune(self, before: datetime) -> int:
        """Let go of suggestions neither shown nor acted on since `before`; how many."""
        stale = and_(
            or_(Suggestion.shown_at.is_(None), Suggestion.shown_at < before),
            or_(Suggestion.acted_at.is_(None), Suggestion.acted_at < before),
        )
        return self.session.execute(delete(Suggestion).where(stale)).rowcount
