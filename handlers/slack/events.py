"""Events API: people who join a linked channel become members; retries are handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from handlers.slack.payloads import Origin
from handlers.slack.render import channel_join_reply
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: App, rt: Runtime) -> None:
    @app.middleware
    def handle_each_event_once(
        request: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks was lost; the second delivery is acked only."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        team_id = body.get("team_id", "")
        if (
            event_id
            and not request.lazy_only
            and not rt.services.deliveries.first_time(team_id, event_id)
        ):
            log.info(
                "event %s delivered again (retry %s); already handled",
                event_id,
                request.headers.get("x-slack-retry-num"),
            )
            return BoltResponse(status=200, body="")
        return next()

    def acknowledge(ack: Ack) -> None:
        ack()

    def member_joined(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user_id, channel_id = event.get("user"), event.get("channel")
        if not user_id or not channel_id or user_id == context.bot_user_id:
            return
        origin = Origin(
            team_id=body.get("team_id") or event.get("team", ""),
            user_id=user_id,
            channel_id=channel_id,
        )
        actor = rt.actor(origin, client)
        joins = rt.services.memberships.join_by_channel(origin.team_id, channel_id, user_id)
        if not joins:
            return
        t = rt.translator_for(actor)
        messenger = rt.messenger(client)
        for join in joins:
            messenger.whisper(channel_id, user_id, channel_join_reply(t, join))

    app.event("member_joined_channel")(ack=acknowledge, lazy=[member_joined])
