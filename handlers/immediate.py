"""An executor that runs work at once, in the caller's thread: for tests and the demos, so that
the work after an answer is done when the request returns and nothing waits or sleeps for it."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any


class ImmediateExecutor(Executor):
    """Runs each submitted function at once, in the caller's thread.

    Tests and the demo run work after the ack on it, so that the work is done when the request
    returns and nothing has to wait or sleep for it.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # the future carries it, as a thread pool's would
            future.set_exception(error)
        return future
