"""The real `verkosto serve` in a deployment that workspaces install themselves: an admin
installs over HTTP as a browser would, and the workspace's very first command is answered with
its own token."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from handlers.slack.standin.driver import Driver, over_http
from handlers.slack.standin.model import CLIENT_ID, CLIENT_SECRET
from handlers.slack.standin.server import WebApiStandIn
from tests.installs.conftest import AGENCY
from tests.processes import free_port, serving
from tests.support import COORDINATOR, SIGNING_SECRET, text_of


def get(port: int, path: str, cookie: str | None = None) -> http.client.HTTPResponse:
    """A browser's GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    answer = connection.getresponse()
    answer.read()
    return answer


def test_a_workspace_installs_through_serve_and_its_first_command_is_answered(
    tmp_path: Path, standin: WebApiStandIn, database_url: str, db
) -> None:
    port = free_port()
    settings = {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "VERKOSTO_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    with serving(tmp_path, ready_line="background process for work after the ack", **settings):
        started = get(port, "/slack/install")
        assert started.status == 302
        state = parse_qs(urlparse(started.headers["Location"]).query)["state"][0]
        cookie = started.headers["Set-Cookie"].split(";")[0]
        assert cookie == f"slack-app-oauth-state={state}"

        back = get(
            port, f"/slack/oauth_redirect?code={standin.grant(AGENCY)}&state={state}", cookie
        )
        assert back.status == 200
        [token] = [token for token, where in standin.installs.items() if where == AGENCY]

        slack = Driver(
            over_http(f"http://127.0.0.1:{port}/slack/events"),
            standin,
            SIGNING_SECRET,
            team_id=AGENCY.team_id or "",
        )
        seq = standin.last_seq
        assert slack.command(COORDINATOR, "help").status == 200
        answer = standin.wait_for("response_url", after=seq, timeout=10)
        assert answer is not None and "/network" in text_of(answer)
        made = [call for call in standin.since(seq) if call.token]
        assert made and {call.token for call in made} == {token}
