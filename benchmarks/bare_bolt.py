"""A bare Bolt app that only acks `/network`, vote buttons and Going, served exactly the way
`verkosto serve` serves.

It is the yardstick of `ack_latency.py`: Bolt's fast configuration (process_before_response) on
the same gunicorn settings, routes and WSGI adapter. Run by the benchmark; its settings come from
the same environment variables as Verkosto's.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.settings import Settings
from handlers.slack.server import Wsgi, serve_http, wsgi_app


def bare_app(settings: Settings) -> Wsgi:
    app = App(
        client=WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
    )

    @app.command(settings.verkosto_command)
    def ack_only(ack: Ack) -> None:
        ack()

    @app.action(re.compile(r"^(poll\.vote|event\.going)"))
    def ack_click(ack: Ack) -> None:
        ack()

    return wsgi_app(app, healthy=lambda: True)


if __name__ == "__main__":
    settings = Settings()
    serve_http(
        lambda: bare_app(settings), settings.port, settings.web_concurrency, settings.web_threads
    )
