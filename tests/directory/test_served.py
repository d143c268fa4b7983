"""`verkosto serve` answers the directory on the port it serves Slack on, only when
`VERKOSTO_WEB_DIRECTORY` says so."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.error import HTTPError

from bot.settings import Settings
from tests.directory.conftest import Web
from tests.processes import free_port, serving
from tests.support import FORESIGHT


def fetch(url: str, bodies: list[bytes]) -> tuple[int, str]:
    """The status and body of a GET; the body joins `bodies`, which may name no person."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            status, body = answer.status, answer.read()
    except HTTPError as error:
        status, body = error.code, error.read()
    bodies.append(body)
    return status, body.decode()


def settings_for(web_settings: Settings, port: int, directory: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": web_settings.slack_bot_token or "",
        "SLACK_SIGNING_SECRET": web_settings.slack_signing_secret or "",
        "SLACK_API_URL": web_settings.slack_api_url,
        "DATABASE_URL": web_settings.database_url,
        "VERKOSTO_WEB_DIRECTORY": directory,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }


def test_serve_answers_the_directory_when_it_is_on(
    web: Web, web_settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    ready = "background process for work after the ack"
    with serving(tmp_path, ready_line=ready, **settings_for(web_settings, port, "on")) as served:
        # No feedback address was set for the accessibility statement.
        assert "VERKOSTO_WEB_CONTACT is not set" in "".join(served.log)
        status, page = fetch(f"http://127.0.0.1:{port}/?q=ennakointi&lang=fi", web.bodies)
        assert status == 200 and "Kansallinen ennakointiverkosto" in page
        status, body = fetch(f"http://127.0.0.1:{port}/api/v1/networks/{FORESIGHT}", web.bodies)
        assert status == 200 and '"member_count":2' in body
        assert fetch(f"http://127.0.0.1:{port}/healthz", web.bodies)[0] == 200

    port = free_port()
    with serving(tmp_path, ready_line=ready, **settings_for(web_settings, port, "off")):
        assert fetch(f"http://127.0.0.1:{port}/", web.bodies)[0] == 404
        assert fetch(f"http://127.0.0.1:{port}/api/v1/networks", web.bodies)[0] == 404
