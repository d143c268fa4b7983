"""Weak signals: early signs of change that members notice, kept per network with where they
were seen, seconded by others who saw them too, and exported for foresight work."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain import MembershipStatus, MessageKind
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound
from bot.results.people import Actor
from bot.results.signals import SignalCard, SignalListing, SignalSaved, SignalSeconded
from bot.services import message_keys
from bot.services.catalog import NetworkCatalog
from bot.services.lookup import can_coordinate, find_network, network_by_id, words_naming_one
from bot.services.mapping import network_ref, person_ref
from bot.services.people import Defaults
from bot.tables import csv_cell
from storage.database import Database
from storage.models import Network, Signal
from storage.store import Store

MAX_SIGNAL_LENGTH = 1500
LISTED = 15


@dataclass(frozen=True)
class SignalSource:
    """The chat message a signal was saved from: its conversation, and the platform's
    reference to it there."""

    conversation: str
    ref: str
    permalink: str | None


class SignalService:
    def __init__(
        self, db: Database, clock: Clock, defaults: Defaults, catalog: NetworkCatalog
    ) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults
        self._catalog = catalog

    def record(
        self,
        actor: Actor,
        text: str,
        *,
        name: str | None = None,
        network_id: int | None = None,
        source: SignalSource | None = None,
        words_after_unquoted_name: Sequence[str] = (),
    ) -> SignalSaved:
        """Keep a member's signal in a network and show it in the network's channel.
        `words_after_unquoted_name`: the words typed after a name of one unquoted word, which
        the name may have gone on into."""
        text = text.strip()
        if not text:
            raise InvalidInput("error.signal.empty", field="text", usage_key="help.usage.signal")
        if len(text) > MAX_SIGNAL_LENGTH:
            raise InvalidInput("error.signal.too_long", field="text", max=MAX_SIGNAL_LENGTH)
        now = self._clock.now()
        with self._db.transaction() as store:
            if words_after_unquoted_name:
                network = self._network_named_unquoted(
                    store, actor, name or "", words_after_unquoted_name
                )
            else:
                network = self._network(store, actor, name, network_id)
            _require_member(store, actor, network)
            if source and store.signals.by_source(network.id, source.conversation, source.ref):
                raise Conflict("error.signal.already_saved", network=network_ref(network))
            signal = store.signals.add(
                Signal(
                    workspace_id=actor.workspace_id,
                    network_id=network.id,
                    author_id=actor.person_id,
                    text=text,
                    permalink=source.permalink if source else None,
                    source_conversation=source.conversation if source else None,
                    source_ref=source.ref if source else None,
                    channel_id=network.channel_id,
                    language=self._defaults.language,
                    created_at=now,
                )
            )
            queued = _to_channel(store, signal, MessageKind.SIGNAL, now)
            return SignalSaved(self._card(store, signal, actor), network.channel_id, queued)

    def second(self, actor: Actor, signal_id: int) -> SignalSeconded:
        """A member's "+1: I have seen this too"; pressed again, taken back."""
        now = self._clock.now()
        with self._db.transaction() as store:
            signal = store.signals.by_id(actor.workspace_id, signal_id)
            if signal is None:
                raise NotFound("error.stale_action")
            _require_member(store, actor, signal.network)
            if signal.author_id == actor.person_id:
                raise Conflict("error.signal.own")
            added = store.signals.second(signal.id, actor.person_id, now)
            if not added:
                store.signals.take_back(signal.id, actor.person_id)
            queued = _to_channel(store, signal, MessageKind.SIGNAL_REFRESH, now)
            return SignalSeconded(self._card(store, signal, actor), added, queued)

    def recent(self, actor: Actor, name: str) -> SignalListing:
        """A network's latest signals with their counts, for its members."""
        with self._db.snapshot() as store:
            network = find_network(store, self._catalog, actor, name)
            _require_member(store, actor, network)
            signals = store.signals.of_network(network.id, LISTED)
            return SignalListing(
                network=network_ref(network),
                signals=self._cards(store, signals, actor),
                total=store.signals.count(network.id),
                may_export=can_coordinate(store, actor, network),
            )

    def export(self, actor: Actor, name: str) -> tuple[SignalListing, str]:
        """Every signal of a network as CSV, for its coordinators."""
        with self._db.snapshot() as store:
            network = find_network(store, self._catalog, actor, name)
            if not can_coordinate(store, actor, network):
                raise Forbidden("error.forbidden.coordinator", network=network_ref(network))
            cards = self._cards(store, store.signals.of_network(network.id), actor)
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["saved_at", "author", "signal", "seen_too", "link"])
            for card in cards:
                writer.writerow(
                    [
                        card.created_at.isoformat(timespec="minutes"),
                        csv_cell(card.author.display_name if card.author else ""),
                        csv_cell(card.text),
                        card.seconds,
                        card.permalink or "",
                    ]
                )
            listing = SignalListing(network_ref(network), cards, len(cards), may_export=True)
            return listing, out.getvalue()

    def card(self, workspace_id: int, signal_id: int) -> SignalCard | None:
        """A signal as its channel post shows it."""
        with self._db.snapshot() as store:
            signal = store.signals.by_id(workspace_id, signal_id)
            return None if signal is None else self._card(store, signal, None)

    def _network(
        self, store: Store, actor: Actor, name: str | None, network_id: int | None
    ) -> Network:
        if network_id is not None:
            return network_by_id(store, actor, network_id)
        return find_network(store, self._catalog, actor, name or "")

    def _network_named_unquoted(
        self, store: Store, actor: Actor, name: str, words_after: Sequence[str]
    ) -> Network:
        """Refuse the name when more of the words after it would make another network's name
        (nobody can tell where the person meant it to end); when it names nothing, say how to
        quote a name with spaces, keeping the suggestions."""
        words = (name, *words_after)
        count = words_naming_one(store, self._catalog, actor, words)
        if count is not None:
            meant, rest = " ".join(words[:count]), " ".join(words[count:])
            raise InvalidInput("error.name_unclear", name=name, meant=meant, rest=rest)
        try:
            return find_network(store, self._catalog, actor, name)
        except NotFound as error:
            raise NotFound("error.name_may_need_quotes", **error.params) from None

    def _card(self, store: Store, signal: Signal, actor: Actor | None) -> SignalCard:
        return self._cards(store, [signal], actor)[0]

    @staticmethod
    def _cards(
        store: Store, signals: Sequence[Signal], actor: Actor | None
    ) -> tuple[SignalCard, ...]:
        ids = [signal.id for signal in signals]
        seconds = store.signals.seconds(ids)
        mine = store.signals.seconded_by(actor.person_id, ids) if actor else set()
        return tuple(
            SignalCard(
                id=signal.id,
                network=network_ref(signal.network),
                text=signal.text,
                author=person_ref(signal.author) if signal.author else None,
                permalink=signal.permalink,
                seconds=seconds.get(signal.id, 0),
                created_at=signal.created_at,
                language=signal.language,
                seconded_by_me=signal.id in mine,
            )
            for signal in signals
        )


def _to_channel(store: Store, signal: Signal, kind: MessageKind, now: datetime) -> tuple[int, ...]:
    """Queue the signal's post in its channel (or the post's update); the outbox ids queued."""
    if not signal.channel_id:
        return ()
    message = {
        "workspace_id": signal.workspace_id,
        "network_id": signal.network_id,
        "kind": kind,
        "recipient": signal.channel_id,
        "now": now,
        "payload": {"signal_id": signal.id},
    }
    if kind is MessageKind.SIGNAL:
        key = message_keys.signal_post(signal.id)
        store.outbox.put(key=key, due_at=now, **message)
    else:
        key = message_keys.signal_refresh(signal.id)
        store.outbox.put_or_rearm(key=key, **message)
    return tuple(store.outbox.ids_by_keys([key]))


def _require_member(store: Store, actor: Actor, network: Network) -> None:
    membership = store.memberships.current(network.id, actor.person_id)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise Forbidden("error.signal.members_only", network=network_ref(network))
