"""What a process of `verkosto serve` does before it says it is ready.

Without it, the first requests after a start pay for imports, database connections, catalogs
and the recommender's model: almost a second on a quiet machine, and far more than Slack's
3 seconds for a form on a busy one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from bot.domain import LANGUAGES, Platform
from bot.services import Services

log = logging.getLogger(__name__)


def warm_up(services: Services, threads: int, platforms: Iterable[Platform]) -> None:
    """Prepare what every request needs on `platforms`; a failure is logged and leaves the work
    to the first requests, which is slower but still answers."""
    began = time.perf_counter()
    try:
        services.warm(connections=threads)
        for platform in platforms:
            draw = _drawing(platform)
            for language in LANGUAGES:
                draw(language)
    except Exception:
        log.warning("warming up failed; the first requests will be slower", exc_info=True)
        return
    log.info("warmed up in %.2f s", time.perf_counter() - began)


def _drawing(platform: Platform) -> Callable[[str], None]:
    """The platform's own warm-up, imported only where that platform is served."""
    if platform is Platform.SLACK:
        from handlers.slack.warm_up import draw_once
    else:
        from handlers.teams.warm_up import draw_once
    return draw_once
