"""Modal submissions: the network form is saved before the ack, so that mistakes are shown on
the fields themselves (`response_action: errors`); follow-ups run after the ack."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

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
SAVED = "verkosto_saved_network"


def register(app: App, rt: Runtime) -> None:
    def save_network(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        origin = Origin.of_interaction(body)
        form = FormContext.decode(view.get("private_metadata"))
        t = rt.translator(rt.services.defaults.language)
        try:
            actor = rt.actor(origin, client)
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
        context[SAVED] = (actor, detail)
        created = form.network_id is None
        ack(response_action="update", view=saved_modal(t, detail, created).to_dict())

    def check_channel(context: BoltContext, client: WebClient) -> None:
        saved: tuple[Actor, NetworkDetail] | None = context.get(SAVED)
        if saved is None:
            return
        actor, detail = saved
        channel_id = detail.channel_id
        messenger = rt.messenger(client)
        if channel_id and messenger.bot_is_in(channel_id) is False:
            t = rt.translator_for(actor)
            messenger.message_person(actor.user_id, invite_bot_notice(t, channel_id))

    app.view(CALLBACK_ID)(ack=save_network, lazy=[check_channel])
