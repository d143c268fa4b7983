"""A chat platform for the core's tests: it knows people's profiles and records every message
the core composes, as the core composed it (a neutral card, for whom, in which language and
how), before any platform renders it. A platform's adapter can run the same scenarios against
its own stand-in by giving them a `Scene` whose `deliver` goes through its courier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.domain import MessageKind
from bot.errors import NotFound
from bot.i18n import Translator
from bot.outbox_composer import Content, How, OutboxComposer
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.outbox import DrainReport, OutboxItem, Sent
from bot.use_cases import Caller, Outcome, UseCaseRunner

Result = TypeVar("Result")
WORKSPACE = "T0CORE"


@dataclass(frozen=True)
class Delivered:
    """One message as the platform was asked to send it, and where it put it."""

    kind: MessageKind
    recipient: str
    content: Content
    language: str
    how: How
    at: Sent | None
    placed: Sent


@dataclass
class FakePlatform:
    """What only a platform can do, done in memory."""

    composer: OutboxComposer
    profiles: dict[str, Profile] = field(default_factory=dict)
    delivered: list[Delivered] = field(default_factory=list)
    invited: list[tuple[str, str]] = field(default_factory=list)
    profile_reads: list[str] = field(default_factory=list)

    def read_profile(self, person_id: str) -> Profile | None:
        self.profile_reads.append(person_id)
        if person_id not in self.profiles:
            raise NotFound("error.person_not_found")
        return self.profiles[person_id]

    def deliver(self, item: OutboxItem) -> Sent:
        composed = self.composer.compose(item)
        if composed is None:
            return Sent()
        if composed.invite is not None:
            self.invited.append(composed.invite)
        if composed.how is How.UPDATE:
            assert composed.at is not None
            placed = composed.at
        else:
            placed = Sent(item.recipient, f"message-{len(self.delivered) + 1}")
        self.delivered.append(
            Delivered(
                composed.kind,
                item.recipient,
                composed.content,
                composed.t.language,
                composed.how,
                composed.at,
                placed,
            )
        )
        return placed

    def of_kind(self, kind: MessageKind) -> list[Delivered]:
        return [message for message in self.delivered if message.kind is kind]


@dataclass
class Scene:
    """The core with its platform: people act through the use-case runner, and what the
    outbox sends reaches the platform."""

    services: Services
    platform: FakePlatform
    runner: UseCaseRunner
    workspace: str = WORKSPACE

    def meet(self, person_id: str, name: str, *, admin: bool = False) -> None:
        """Someone the platform knows, not yet the bot."""
        self.platform.profiles[person_id] = Profile(name, "Europe/Helsinki", admin)

    def act(
        self, person_id: str, use_case: Callable[[Actor, Translator], Result]
    ) -> Outcome[Result]:
        """`person_id` does something, as a platform's adapter hands it over."""
        return self.runner.run(
            Caller(self.workspace, person_id), self.platform.read_profile, use_case
        )

    def done(self, person_id: str, use_case: Callable[[Actor, Translator], Result]) -> Result:
        """What `use_case` returned; the test fails if it did not succeed."""
        outcome = self.act(person_id, use_case)
        assert outcome.error is None, outcome.error
        assert outcome.result is not None
        return outcome.result

    def actor(self, person_id: str) -> Actor:
        return self.runner.identify(Caller(self.workspace, person_id), self.platform.read_profile)

    def send(self) -> DrainReport:
        """What the worker does each minute: send what is due."""
        return self.services.outbox.drain(self.platform.deliver)
