"""A bare Teams app that only echoes, served exactly the way `verkosto serve` serves.

It is the yardstick of `teams_latency.py`: the Teams SDK's models for what it reads and sends,
the token checked with the same keys, and the same gunicorn settings and WSGI routes. A message
is answered 200 at once and its text echoed to Bot Connector from a thread; an
`adaptiveCard/action` invoke is answered with a one-line card. Its settings come from the same
environment variables as Verkosto's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

import httpx
from microsoft_teams.api import MessageActivityInput
from microsoft_teams.cards import AdaptiveCard, TextBlock

from bot.settings import Settings
from handlers.teams.auth import ActivityAuth, Unauthorized
from handlers.teams.connector import AppTokens
from handlers.web.routes import Wsgi, web_app
from handlers.web.server import serve_http


def bare_app(settings: Settings) -> Wsgi:
    assert settings.teams_client_id
    auth = ActivityAuth(settings.teams_client_id, settings.teams_keys_url)
    http = httpx.Client(timeout=10)
    tokens = AppTokens(
        http, settings.teams_token_address(), settings.teams_client_id, settings.teams_client_secret
    )

    def echo(activity: dict[str, Any]) -> None:
        reply = MessageActivityInput(text=str(activity.get("text", "")))
        service, conversation = activity["serviceUrl"].rstrip("/"), activity["conversation"]["id"]
        url = f"{service}/v3/conversations/{conversation}/activities"
        body = reply.model_dump(by_alias=True, exclude_none=True, mode="json")
        http.post(url, json=body, headers=tokens.header())

    def messages(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        activity = json.loads(environ["wsgi.input"].read(length))
        try:
            auth.verify(environ.get("HTTP_AUTHORIZATION"), activity.get("serviceUrl"))
        except Unauthorized:
            start_response("401 Unauthorized", [("Content-Length", "0")])
            return [b""]
        answer: dict[str, Any] | None = None
        if activity.get("type") == "message":
            threading.Thread(target=echo, args=(activity,), daemon=True).start()
        elif activity.get("name") == "adaptiveCard/action":
            card = AdaptiveCard(body=[TextBlock(text="Done.")])
            answer = {
                "statusCode": 200,
                "type": "application/vnd.microsoft.card.adaptive",
                "value": card.model_dump(by_alias=True, exclude_none=True, mode="json"),
            }
        content = json.dumps(answer).encode() if answer else b""
        start_response("200 OK", [("Content-Length", str(len(content)))])
        return [content]

    return web_app({"/api/messages": messages}, healthy=lambda: True)


if __name__ == "__main__":
    settings = Settings()
    serve_http(
        lambda: bare_app(settings), settings.port, settings.web_concurrency, settings.web_threads
    )
