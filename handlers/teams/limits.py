"""Microsoft's rate limits for bots, kept before sending rather than learned from 429s: per
conversation 7 messages a second, 60 in 30 seconds and 1,800 an hour, and about 30 requests a
second for the app in one tenant. Counted in this process; Teams' own 429s (with `Retry-After`)
cover what several processes send together."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

# (requests, seconds): at most that many in any window of that length.
PER_CONVERSATION = ((7, 1.0), (60, 30.0), (1800, 3600.0))
PER_TENANT = ((30, 1.0),)
HOUR = 3600.0
# Beyond this many conversations and tenants counted, those quiet for an hour are let go.
KEPT = 10_000


class RateLimits:
    """Sliding windows per conversation and per tenant. `clock` is monotonic seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: dict[str, deque[float]] = defaultdict(deque)

    def take(self, conversation: str, tenant: str) -> float:
        """Take a slot for one request to `conversation` in `tenant` and return 0, or return
        how many seconds to wait until one is free (and take nothing)."""
        keys = ((f"c:{conversation}", PER_CONVERSATION), (f"t:{tenant}", PER_TENANT))
        with self._lock:
            now = self._clock()
            wait = max(self._wait(self._sent.get(key), limits, now) for key, limits in keys)
            if wait > 0:
                return wait
            for key, _ in keys:
                self._sent[key].append(now)
            if len(self._sent) > KEPT:
                self._let_go_of_quiet(now)
            return 0.0

    def _let_go_of_quiet(self, now: float) -> None:
        for key in [key for key, sent in self._sent.items() if not sent or sent[-1] <= now - HOUR]:
            del self._sent[key]

    @staticmethod
    def _wait(
        sent: deque[float] | None, limits: tuple[tuple[int, float], ...], now: float
    ) -> float:
        if not sent:
            return 0.0
        longest = max(seconds for _, seconds in limits)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        wait = 0.0
        for count, seconds in limits:
            if len(sent) >= count:
                # The window frees a slot when the count-th latest request leaves it.
                wait = max(wait, sent[-count] + seconds - now)
        return wait
