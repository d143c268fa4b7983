"""A chat platform for the core's tests: it knows people's profiles and records every message
the core composes, as the core composed it (a neutral card, for whom, in which language and
how), before any platform renders it. The core's courier sends through it as through any
platform's port. A platform's adapter can run the same scenarios against its own stand-in by
giving them a `Scene` whose courier renders and sends on that platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from bot.courier import Courier
from bot.domain import MessageKind, Platform, RecipientKind
from bot.errors import NotFound
from bot.i18n import Translator
from bot.outbox_composer import Composed, Content, How, OutboxComposer
from bot.platform import Files
from bot.platforms import ServedPlatforms
from bot.results.people import Actor, Profile
from bot.services import Services
from bot.services.outbox import DrainReport, RetryLater, Sent
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
    key: str | None
    thread: str | None = None


@dataclass
class FakePlatform:
    """What only a platform can do (`bot.platform.PlatformPort`), done in memory. Its messages
    are what the core composed, unrendered."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    delivered: list[Delivered] = field(default_factory=list)
    invited: list[tuple[str, str]] = field(default_factory=list)
    profile_reads: list[str] = field(default_factory=list)
    forms: list[tuple[str | None, object]] = field(default_factory=list)
    files: list[tuple[str, Files, str]] = field(default_factory=list)
    # Set to lose the answer to the next post after the message was placed (a timeout).
    lose_next_answer: bool = False

    def post(
        self,
        conversation: str,
        message: Composed,
        *,
        key: str | None = None,
        thread: str | None = None,
    ) -> Sent:
        placed = Sent(conversation, f"message-{len(self.delivered) + 1}")
        self._record(conversation, message, placed, key, thread)
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise RetryLater("timeout", maybe_sent=True)
        return placed

    def update(self, at: Sent, message: Composed) -> Sent:
        assert at.conversation is not None
        self._record(at.conversation, message, at, None)
        return at

    def message_person(self, person_id: str, message: Composed, *, key: str | None = None) -> Sent:
        return self.post(person_id, message, key=key)

    def find_sent(
        self, recipient: str, kind: RecipientKind, key: str, since: datetime
    ) -> Sent | None:
        found = [s.placed for s in self.delivered if s.recipient == recipient and s.key == key]
        return found[-1] if found else None

    def open_form(self, trigger: str | None, form: object) -> None:
        self.forms.append((trigger, form))

    def send_files(self, person_id: str, files: Files, comment: str) -> bool:
        self.files.append((person_id, files, comment))
        return True

    def invite(self, conversation: str, person_id: str) -> bool:
        self.invited.append((conversation, person_id))
        return True

    def read_profile(self, person_id: str) -> Profile | None:
        self.profile_reads.append(person_id)
        if person_id not in self.profiles:
            raise NotFound("error.person_not_found")
        return self.profiles[person_id]

    def of_kind(self, kind: MessageKind) -> list[Delivered]:
        return [message for message in self.delivered if message.kind is kind]

    def _record(
        self,
        recipient: str,
        composed: Composed,
        placed: Sent,
        key: str | None,
        thread: str | None = None,
    ) -> None:
        self.delivered.append(
            Delivered(
                composed.kind,
                recipient,
                composed.content,
                composed.t.language,
                composed.how,
                composed.at,
                placed,
                key,
                thread,
            )
        )


def unrendered(composed: Composed, invited: bool) -> Composed:
    """The fake platform shows what the core composed as it is."""
    return composed


@dataclass
class Scene:
    """The core with its platform: people act through the use-case runner, and what the
    outbox sends reaches the platform."""

    services: Services
    platform: FakePlatform
    runner: UseCaseRunner
    courier: Courier[Composed]
    workspace: str = WORKSPACE
    kind: Platform = Platform.SLACK

    @classmethod
    def build(cls, services: Services, command: str, workspace: str = WORKSPACE) -> Scene:
        """The core on `services`, with a fake platform that knows nobody yet."""
        platform = FakePlatform()
        courier = Courier(OutboxComposer(services, command), platform, unrendered)
        return cls(services, platform, UseCaseRunner(services, command), courier, workspace)

    def meet(self, person_id: str, name: str, *, admin: bool = False) -> None:
        """Someone the platform knows, not yet the bot."""
        self.platform.profiles[person_id] = Profile(name, "Europe/Helsinki", admin)

    def act(
        self, person_id: str, use_case: Callable[[Actor, Translator], Result]
    ) -> Outcome[Result]:
        """`person_id` does something, as a platform's adapter hands it over."""
        return self.runner.run(self.caller(person_id), self.platform.read_profile, use_case)

    def done(self, person_id: str, use_case: Callable[[Actor, Translator], Result]) -> Result:
        """What `use_case` returned; the test fails if it did not succeed."""
        outcome = self.act(person_id, use_case)
        assert outcome.error is None, outcome.error
        assert outcome.result is not None
        return outcome.result

    def actor(self, person_id: str) -> Actor:
        return self.runner.identify(self.caller(person_id), self.platform.read_profile)

    def served(self) -> ServedPlatforms:
        """The scene's platform as a worker serves it."""
        return ServedPlatforms.one(
            self.kind, self.courier.deliver, lambda _team, user: self.platform.read_profile(user)
        )

    def caller(self, person_id: str) -> Caller:
        """Someone in the scene's workspace, as its platform names them."""
        return Caller(self.workspace, person_id, self.kind)

    def send(self) -> DrainReport:
        """What the worker does each minute: send what is due."""
        return self.services.outbox.drain(self.courier.deliver)
