"""Helpers for driving the app and reading what Slack received and what the database holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot import worker
from bot.domain import MembershipStatus, Platform, Role
from bot.platforms import ServedPlatforms
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.outbox import Deliver
from bot.services.people import WorkspaceProfileLoader
from handlers.slack.standin.driver import Driver, Response
from handlers.slack.standin.model import TEAM_ID
from handlers.slack.standin.server import Call, WebApiStandIn
from storage.models import (
    AuditEntry,
    Ballot,
    BallotChoice,
    Event,
    EventReminder,
    Membership,
    Network,
    OutboxMessage,
    Person,
    Poll,
    PollOption,
    Rsvp,
)

SIGNING_SECRET = "test-signing-secret"
COORDINATOR = "U0AINO"
MEMBER = "U0MIKKO"
OUTSIDER = "U0SARA"
ADMIN = "U0OLLI"
GENERAL = "C0GENERAL"
LINKED = "C0ENNAKOINTI"
FORESIGHT = "kansallinen-ennakointiverkosto"
# A network of a Teams tenant, as an import file gives it; published on the web directory.
TEAMS_NETWORK = {
    "id": "kuntien-ilmastoverkosto",
    "name_fi": "Kuntien ilmastoverkosto",
    "name_en": "Municipal climate network",
    "name_sv": "Kommunernas klimatnätverk",
    "coordinator": "Kuntaliitto",
    "description_fi": "Kuntien ilmastotyön vertaisverkosto.",
    "description_en": "A peer network for municipal climate work.",
    "category": "professional_support",
    "scope": ["municipalities"],
    "origin": "spontaneous",
    "tags": ["climate", "municipalities"],
    "public": True,
}
BROADCAST = re.compile(r"<!(channel|here|everyone)")


def add_people(standin: WebApiStandIn) -> None:
    standin.add_user(COORDINATOR, "aino", "Aino Virtanen")
    standin.add_user(MEMBER, "mikko", "Mikko Korhonen")
    standin.add_user(OUTSIDER, "sara", "Sara Lindqvist")
    standin.add_user(ADMIN, "olli", "Olli Mäkinen", is_admin=True)
    everyone = {COORDINATOR, MEMBER, OUTSIDER, ADMIN}
    standin.add_channel(GENERAL, "general", members=everyone)
    standin.add_channel(LINKED, "ennakointi", members={COORDINATOR})
    standin.add_channel("C0PRIVATE", "salainen", is_private=True, bot_member=False)


def add_members(services: Services, standin: WebApiStandIn, slug: str, user_ids: list[str]) -> None:
    """Active members made directly in the database (and known to the stand-in): for tests
    about many members, where how they joined is not what is tested."""
    now = datetime.now(UTC)
    with services.db.transaction() as store:
        workspace = store.workspaces.by_team(TEAM_ID)
        network = store.networks.by_slug(workspace.id, slug) if workspace else None
        assert workspace is not None and network is not None
        for user_id in user_ids:
            if user_id not in standin.users:
                standin.add_user(user_id, user_id.lower(), f"Person {user_id}")
            person = store.people.ensure(
                workspace.id,
                user_id,
                {"display_name": f"Person {user_id}", "created_at": now, "updated_at": now},
            )
            store.memberships.start(network, person.id, Role.MEMBER, now)


def as_actor(services: Services, standin: WebApiStandIn, user_id: str) -> Actor:
    """The person as the services know them, stored from the stand-in's profile if new."""

    def profile(uid: str) -> Profile:
        user = standin.users[uid]
        return Profile(user.real_name, user.tz, user.is_admin)

    return services.people.identify(TEAM_ID, user_id, profile)


def raw_broadcasts(standin: WebApiStandIn) -> list[str]:
    """Every text the app sent that would ping a whole channel."""
    return [text for text in standin.displayed_texts() if BROADCAST.search(text)]


def text_of(call: Call) -> str:
    """All the words of a message or view, markup included: its text and every block's text."""
    return words(call.params)


def words(params: dict[str, Any]) -> str:
    """All the words of a message (`text`, `blocks`) or of a `view`, markup included."""
    view = params.get("view") if isinstance(params.get("view"), dict) else {}
    parts = [str(params.get("text") or "")]
    parts += _texts(params.get("blocks") or [])
    parts += _texts(view.get("blocks") or [])
    return "\n".join(part for part in parts if part)


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        for key, item in value.items():
            if key != "text" or not isinstance(item, str):
                found += _texts(item)
        return found
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@dataclass
class Exchange:
    """One request to the app: Slack's HTTP answer and every Web API call it caused."""

    response: Response
    calls: list[Call]

    def to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def posted(self) -> list[Call]:
        """The messages posted, less digests (a test whose clock passes a Monday at 9:00 gets
        the linked channel's digest too)."""
        return [call for call in self.to("chat.postMessage") if not is_digest(call)]

    @property
    def replies(self) -> list[Call]:
        """What the person who acted was answered (through the response_url)."""
        return self.to("response_url")

    @property
    def reply(self) -> Call:
        replies = self.replies
        assert len(replies) == 1, f"expected one reply, got {[text_of(r) for r in replies]}"
        assert replies[0].ok, replies[0].response
        assert replies[0].params.get("response_type") == "ephemeral"
        return replies[0]

    @property
    def text(self) -> str:
        return text_of(self.reply)

    def buttons(self) -> list[dict[str, Any]]:
        return buttons_of(self.reply)


def is_digest(call: Call) -> bool:
    return outbox_key(call.params).startswith("digest:")


def outbox_key(message: dict[str, Any]) -> str:
    """The outbox key a message carries in its metadata ("" if none)."""
    payload = (message.get("metadata") or {}).get("event_payload") or {}
    return str(payload.get("key", ""))


def buttons_of(call: Call) -> list[dict[str, Any]]:
    """The buttons of a message, in order."""
    found = []
    for block in call.params.get("blocks", []):
        elements = block.get("elements", []) + (
            [block["accessory"]] if "accessory" in block else []
        )
        found += [element for element in elements if element.get("type") == "button"]
    return found


class Slack:
    """Acts as Slack towards the real app and reports what each request led to."""

    def __init__(
        self,
        driver: Driver,
        standin: WebApiStandIn,
        services: Services,
        deliver: Deliver,
        workspace_profile: WorkspaceProfileLoader,
    ) -> None:
        self.driver = driver
        self.standin = standin
        self.services = services
        self.deliver = deliver
        # The worker's profile reader.
        self.workspace_profile = workspace_profile

    def _exchange(self, send: Any) -> Exchange:
        before = self.standin.last_seq
        response = send()
        return Exchange(response, self.standin.since(before))

    def command(self, user_id: str, text: str, channel_id: str = GENERAL) -> Exchange:
        exchange = self._exchange(lambda: self.driver.command(user_id, text, channel_id))
        assert exchange.response.status == 200
        assert exchange.response.body == "", "slash commands are acked empty and answered later"
        return exchange

    def click(self, user_id: str, action_id: str, value: str, **options: Any) -> Exchange:
        return self._exchange(lambda: self.driver.click(user_id, action_id, value, **options))

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Any]) -> Exchange:
        return self._exchange(lambda: self.driver.submit(user_id, view, values))

    def shortcut(
        self, user_id: str, callback_id: str, channel_id: str, message: dict[str, Any]
    ) -> Exchange:
        return self._exchange(
            lambda: self.driver.message_shortcut(user_id, callback_id, channel_id, message)
        )

    def home(self, user_id: str) -> dict[str, Any]:
        """Open the person's Home tab; the view the app published."""
        exchange = self._exchange(lambda: self.driver.app_home_opened(user_id))
        [published] = exchange.to("views.publish")
        assert published.ok, published.response
        return self.standin.homes[user_id]

    def press(
        self, user_id: str, view: dict[str, Any], element: dict[str, Any], choice: str | None = None
    ) -> Exchange:
        """Press a button (or choose in a menu) in a published view."""
        return self._exchange(lambda: self.driver.view_action(user_id, view, element, choice))

    def event(self, **options: Any) -> Exchange:
        return self._exchange(lambda: self.driver.member_joined_channel(**options))

    def worker(self) -> Exchange:
        """What `verkosto worker --once` does now: due reminders queued, the outbox sent."""
        served = ServedPlatforms.one(Platform.SLACK, self.deliver, self.workspace_profile)
        worker.configure(self.services, served)
        before = self.standin.last_seq
        worker.run_due()
        return Exchange(Response(200, "", {}), self.standin.since(before))


# Reading the database ----------------------------------------------------------------------


def network(services: Services, slug: str) -> Network | None:
    with services.db.snapshot() as store:
        return store.session.scalar(select(Network).where(Network.slug == slug))


def memberships(services: Services, slug: str, user_id: str) -> list[Membership]:
    """Every spell of a person in a network, oldest first."""
    with services.db.snapshot() as store:
        return list(
            store.session.scalars(
                select(Membership)
                .join(Network, Network.id == Membership.network_id)
                .join(Person, Person.id == Membership.person_id)
                .where(Network.slug == slug, Person.user_id == user_id)
                .order_by(Membership.id)
            )
        )


def status_of(services: Services, slug: str, user_id: str) -> tuple[MembershipStatus, str] | None:
    """The current (pending or active) status and role of a person in a network."""
    for spell in memberships(services, slug, user_id):
        if spell.status in (MembershipStatus.PENDING, MembershipStatus.ACTIVE):
            return spell.status, spell.role.value
    return None


def audit(services: Services) -> list[tuple[str, dict[str, Any]]]:
    with services.db.snapshot() as store:
        entries = store.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(entry.action.value, entry.details) for entry in entries]


def snapshot(services: Services) -> dict[str, Any]:
    """Everything stored, as plain values: to show that a refused request changed nothing."""
    with services.db.snapshot() as store:
        tables = {}
        models = (
            Network,
            Membership,
            AuditEntry,
            Event,
            Rsvp,
            EventReminder,
            OutboxMessage,
            Poll,
            PollOption,
            Ballot,
            BallotChoice,
        )
        for model in models:
            order = list(model.__table__.primary_key.columns)
            rows = store.session.scalars(select(model).order_by(*order)).all()
            tables[model.__tablename__] = [
                {c.name: getattr(row, c.key) for c in model.__table__.columns} for row in rows
            ]
        return tables
