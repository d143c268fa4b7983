"""Which networks were suggested to whom and what came of it: no text, only the pair and when."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, distinct, func, or_, select, update
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

    def shown_since(
        self, person_id: int, network_ids: Collection[int], since: datetime
    ) -> set[int]:
        """Which of these networks the person was shown since `since`."""
        query = select(Suggestion.network_id).where(
            Suggestion.person_id == person_id,
            Suggestion.network_id.in_(list(network_ids)),
            Suggestion.shown_at >= since,
        )
        return set(self.session.scalars(query))

    def took_up(
        self,
        person_id: int,
        network_id: int,
        outcome: SuggestionOutcome,
        now: datetime,
        shown_since: datetime,
    ) -> None:
        """The person joined or opened a network they were shown since `shown_since`. A joining
        is kept over an opening, and the first of each is kept."""
        open_to = Suggestion.outcome.is_(None)
        if outcome is SuggestionOutcome.JOINED:
            open_to = or_(open_to, Suggestion.outcome == SuggestionOutcome.OPENED)
        self.session.execute(
            update(Suggestion)
            .where(
                Suggestion.person_id == person_id,
                Suggestion.network_id == network_id,
                Suggestion.shown_at >= shown_since,
                open_to,
            )
            .values(outcome=outcome, acted_at=now)
        )

    def undecided(self, person_id: int, network_id: int, shown_since: datetime) -> bool:
        """Whether the network was shown to the person since `shown_since`, and they have not
        taken it up yet."""
        query = select(Suggestion.id).where(
            Suggestion.person_id == person_id,
            Suggestion.network_id == network_id,
            Suggestion.shown_at >= shown_since,
            Suggestion.outcome.is_(None),
        )
        return self.session.scalar(query) is not None

    def not_interested(
        self, workspace_id: int, person_id: int, network_id: int, now: datetime
    ) -> None:
        """The person does not want this network suggested again (the first time they said so
        is kept)."""
        if network_id not in self.refused_by(person_id):
            self._set(workspace_id, person_id, network_id, not_interested_at=now)

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

    def refused_by(self, person_id: int) -> set[int]:
        """The networks the person said they are not interested in."""
        query = select(Suggestion.network_id).where(
            Suggestion.person_id == person_id, Suggestion.not_interested_at.is_not(None)
        )
        return set(self.session.scalars(query))

    def uptake(self, source_ids: Collection[int]) -> dict[int, tuple[int, int, int]]:
        """How the present members of the source networks took up each other network suggested
        to them, in people (each counted once, however many of the sources they are in): how
        many saw it suggested, how many joined or opened it, how many are not interested."""
        if not source_ids:
            return {}
        person = Suggestion.person_id
        taken = Suggestion.outcome.is_not(None)
        refused = Suggestion.not_interested_at.is_not(None)
        query = (
            select(
                Suggestion.network_id,
                func.count(distinct(person)),
                func.count(distinct(case((taken, person)))),
                func.count(distinct(case((refused, person)))),
            )
            .join(
                Membership,
                and_(
                    Membership.person_id == person,
                    Membership.network_id.in_(list(source_ids)),
                    Membership.status == MembershipStatus.ACTIVE,
                ),
            )
            .where(Suggestion.network_id.not_in(list(source_ids)))
            .group_by(Suggestion.network_id)
        )
        return {
            network_id: (int(shown), int(took), int(refusals))
            for network_id, shown, took, refusals in self.session.execute(query)
        }

    def joined_through(self, network_id: int, start: datetime, end: datetime) -> int:
        """How many people joined the network between `start` and `end` soon after it was
        suggested to them."""
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
        """Let go of suggestions nothing has happened with since `before`; how many."""
        stale = and_(
            *(
                or_(moment.is_(None), moment < before)
                for moment in (
                    Suggestion.shown_at,
                    Suggestion.acted_at,
                    Suggestion.not_interested_at,
                )
            )
        )
        return self.session.execute(delete(Suggestion).where(stale)).rowcount
