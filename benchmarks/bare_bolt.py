"""A bare Bolt app that acks `/network`, vote buttons and Going, served exactly the way
`verkosto serve` serves.

It is the yardstick of `ack_latency.py`: Bolt's fast configuration (process_before_response) on
the same gunicorn settings, routes and WSGI adapter. Run by the benchmark; its settings come from
the same environment variables as Verkosto's. For `cold_start.py` (`BARE_BOLT_ANSWERS=1`) it also
answers, the way Bolt documents for that configuration, in lazy listeners: `/network create`
opens a one-field form and `/network list` replies with a line.
"""

from __future__ import annotations

import os
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.settings import Settings
from handlers.slack.server import wsgi_app
from handlers.web.routes import Wsgi
from handlers.web.server import serve_http


def bare_app(settings: Settings, answers: bool) -> Wsgi:
    app = App(
        client=WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
    )

    def ack_only(ack: Ack) -> None:
        ack()

    def open_form(body: dict[str, Any], client: WebClient) -> None:
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "title": {"type": "plain_text", "text": "New network"},
                "submit": {"type": "plain_text", "text": "Create"},
                "blocks": [
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "Name"},
                        "element": {"type": "plain_text_input"},
                    }
                ],
            },
        )

    def reply(respond: Respond) -> None:
        respond(text="Networks: none found.", response_type="ephemeral")

    def typed(word: str) -> Any:
        return lambda body: body.get("text", "").split(" ")[0] == word

    command = settings.verkosto_command
    if answers:
        app.command(command, matchers=[typed("create")])(ack=ack_only, lazy=[open_form])
        app.command(command, matchers=[typed("list")])(ack=ack_only, lazy=[reply])
    app.command(command)(ack_only)

    @app.action(re.compile(r"^(poll\.vote|event\.going)"))
    def ack_click(ack: Ack) -> None:
        ack()

    return wsgi_app(app, healthy=lambda: True)


if __name__ == "__main__":
    settings = Settings()
    serve_http(
        lambda: bare_app(settings, answers=os.environ.get("BARE_BOLT_ANSWERS") == "1"),
        settings.port,
        settings.web_concurrency,
        settings.web_threads,
    )
