"""What a process of `verkosto serve` does before it says it is ready.

Without it, the first requests after a start pay for imports, database connections, catalogs
and the recommender's model: almost a second on a quiet machine, and far more than Slack's
3 seconds for a form on a busy one.
"""

from __future__ import annotations

import logging
import time

from bot.domain import LANGUAGES
from bot.i18n import Translator
from bot.services import Services
from handlers.slack import actions, commands, events, home, shortcuts, views
from handlers.slack.markup import slack_markup
from handlers.slack.modals import FormContext, network_modal
from handlers.slack.reply_render import help_reply

log = logging.getLogger(__name__)

# The listeners' work functions run in the after-ack process: their modules are imported here,
# not when the first item arrives.
LISTENER_MODULES = (actions, commands, events, home, shortcuts, views)


def warm_up(services: Services, threads: int) -> None:
    """Prepare what every request needs; a failure is logged and leaves the work to the first
    requests, which is slower but still answers."""
    began = time.perf_counter()
    try:
        services.warm(connections=threads)
        for language in LANGUAGES:
            t = Translator(language, markup=slack_markup)
            help_reply(t).as_message()
            network_modal(t, FormContext(network_id=None), None).to_dict()
    except Exception:
        log.warning("warming up failed; the first requests will be slower", exc_info=True)
        return
    log.info("warmed up in %.2f s", time.perf_counter() - began)
