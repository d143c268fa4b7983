"""Work after a platform's HTTP answer that starts once the answer has really been sent.

A handler hands its follow-up work over as soon as it answers, while the server thread is still
writing the answer. `AfterResponse` holds what is submitted while a request is being answered and
passes it on when the WSGI server closes the response, that is, after the answer is on the wire.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from handlers.background import Background, Runtime, Work
from handlers.web.routes import Wsgi

Held = tuple[Runtime | None, Work, tuple[Any, ...]]


class AfterResponse:
    """A `Background` whose submissions wait, within `hold()`, until `release()`."""

    def __init__(self, inner: Background) -> None:
        self._inner = inner
        self._held = threading.local()

    def submit(self, runtime: Runtime | None, work: Work, *args: Any) -> None:
        jobs: list[Held] | None = getattr(self._held, "jobs", None)
        if jobs is None:
            self._inner.submit(runtime, work, *args)
        else:
            jobs.append((runtime, work, args))

    def hold(self) -> None:
        """From now on, this thread's submissions wait for `release()`."""
        self._held.jobs = []

    def release(self) -> None:
        """Pass on what this thread held back."""
        jobs = getattr(self._held, "jobs", None) or []
        self._held.jobs = None
        for runtime, work, args in jobs:
            self._inner.submit(runtime, work, *args)


class ReleasedOnClose(Iterable[bytes]):
    """A WSGI response body that releases held work when the server closes it."""

    def __init__(self, body: Iterable[bytes], release: Callable[[], None]) -> None:
        self._body = body
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


def held_until_answered(route: Wsgi, background: AfterResponse) -> Wsgi:
    """`route`, with the work it submits to `background` started once its answer is sent."""

    def held(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        background.hold()
        try:
            return ReleasedOnClose(route(environ, start_response), background.release)
        except BaseException:
            background.release()
            raise

    return held
