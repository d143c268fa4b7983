"""What Slack's handlers load and draw once before a process says it is ready
(`handlers/warm_up.py`)."""

from __future__ import annotations

from bot.i18n import Translator
from handlers.slack import actions, commands, events, home, shortcuts, views
from handlers.slack.markup import slack_markup
from handlers.slack.modals import FormContext, network_modal
from handlers.slack.reply_render import help_reply

# The listeners' work functions run in the after-ack process: their modules are imported here,
# not when the first item arrives.
LISTENER_MODULES = (actions, commands, events, home, shortcuts, views)


def draw_once(language: str) -> None:
    """The help and the network form in `language`, drawn once."""
    t = Translator(language, markup=slack_markup)
    help_reply(t).as_message()
    network_modal(t, FormContext(network_id=None), None).to_dict()
