"""The App Home tab: published when the person opens it, and again after what they do on it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from handlers.slack.home_render import home_view
from handlers.slack.payloads import Sender, workspace_of
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)


def publish_home(rt: Runtime, sender: Sender) -> None:
    """Show the person their Home as it stands now."""
    actor = rt.actor(sender)
    page = rt.services.home.page(actor)
    view = home_view(rt.use_cases.translator_for(actor), page, rt.settings.verkosto_public_url)
    try:
        rt.client.views_publish(user_id=sender.user_id, view=view.to_dict())
    except SlackApiError as error:
        log.warning("home of %s not published: %s", sender.user_id, error.response.get("error"))
    except OSError as error:
        # A timeout or a dropped connection; the Home is published again when next opened.
        log.warning("home of %s not published: %s", sender.user_id, type(error).__name__)


def register(app: App, rt: Runtime) -> None:
    def home_opened(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        ack()
        user_id = event.get("user")
        if event.get("tab") == "home" and isinstance(user_id, str):
            rt.after_ack(publish_home, Sender(workspace_of(body), user_id))

    app.event("app_home_opened")(home_opened)
