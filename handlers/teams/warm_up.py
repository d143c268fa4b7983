"""What Teams' handlers load and draw once before a process says it is ready
(`handlers/warm_up.py`)."""

from __future__ import annotations

from bot.i18n import Translator
from handlers.teams import actions, app, forms
from handlers.teams.cards import wire
from handlers.teams.dialogs import dialog
from handlers.teams.markup import teams_markup
from handlers.teams.network_dialog import network_form
from handlers.teams.replies import help_message

# The handlers' work functions run in the after-answer process: their modules are imported
# here, not when the first item arrives.
HANDLER_MODULES = (actions, app, forms)


def draw_once(language: str) -> None:
    """The help and the network form in `language`, drawn once."""
    t = Translator(language, markup=teams_markup)
    wire(help_message(t))
    dialog("", network_form(t, {}, {}, editing=False, channel=None), "")
