"""Modal submissions: the network form is saved before the ack, so that mistakes are shown on
the fields themselves (`response_action: errors`); follow-ups run after the ack."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.errors import FormInvalid, VerkostoError
from bot.views import Actor, NetworkDetail
from handlers.slack.modals import (
    CALLBACK_ID,
    FormContext,
    field_errors,
    problem_modal,
    saved_modal,
    submitted_values,
)
from handlers.slack.payloads import Origin
from handlers.slack.render import error_reply, invite_bot_notice
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: App, rt: Runtime) -> None:
    def save_network(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        origin = Origin.of_interaction(body)
        form = FormContext.decode(view.get("private_metadata"))
        t = rt.translator(rt.services.defaults.language)
        try:
            actor = rt.actor(origin)
            t = rt.translator_for(actor)
            values = submitted_values(view)
            if form.network_id is None:
                detail = rt.services.networks.create(actor, values)
            else:
                detail = rt.services.networks.update(actor, form.network_id, values)
        except FormInvalid as error:
            ack(response_action="errors", errors=field_errors(t, error, view))
            return
        except VerkostoError as error:
            ack(response_action="update", view=problem_modal(t, error_reply(t, error)).to_dict())
            return
        except Exception:
            log.exception("saving the network form failed")
            reply = error_reply(t, VerkostoError())
            ack(response_action="update", view=problem_modal(t, reply).to_dict())
            return
        created = form.network_id is None
        ack(response_action="update", view=saved_modal(t, detail, created).to_dict())
        rt.after_ack(check_channel, actor, detail)

    app.view(CALLBACK_ID)(save_network)


def check_channel(rt: Runtime, actor: Actor, detail: NetworkDetail) -> None:
    """A linked channel is only useful if the bot is in it to add new members."""
    channel_id = detail.channel_id
    if channel_id and rt.messenger.bot_is_in(channel_id) is False:
        notice = invite_bot_notice(rt.translator_for(actor), channel_id)
        rt.messenger.message_person(actor.user_id, notice)
