"""`verkosto serve` as a real process on gunicorn, against the stand-in."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.error import HTTPError

import pytest
from sqlalchemy import text

from bot.domain import MessageKind
from bot.lemmas import finnish_analysis
from handlers.slack.standin.driver import Driver, over_http
from handlers.slack.standin.model import BOT_TOKEN
from storage.migrate import head_revision
from tests.processes import VERKOSTO, environment, free_port, run, serving
from tests.support import FORESIGHT, OUTSIDER, SIGNING_SECRET, network, text_of
from tests.test_event_concurrency import due_reminders


@pytest.fixture
def server(tmp_path: Path, standin, database_url: str, db):
    port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
    }
    with serving(
        tmp_path, ready_line="background process for work after the ack is ready", **settings
    ) as served:
        yield f"http://127.0.0.1:{port}", served.log


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_a_signed_help_is_answered_within_slacks_three_seconds(server, standin) -> None:
    url, log = server
    driver = Driver(over_http(f"{url}/slack/events"), standin, SIGNING_SECRET)
    before = standin.last_seq
    started = time.monotonic()
    ack = driver.command(OUTSIDER, "help")
    answer = standin.wait_for("response_url", after=before, timeout=3.0)
    assert ack.status == 200 and ack.body == ""
    assert answer is not None, "no help within 3 s:\n" + "".join(log)
    assert time.monotonic() - started < 3.0
    assert "/network join NAME" in text_of(answer)
    assert "gthread" in "".join(log), "served by gunicorn's threaded workers"


def test_an_unsigned_request_gets_401(server, standin) -> None:
    url, _ = server
    body = Driver(over_http(url), standin, SIGNING_SECRET).command_body(OUTSIDER, "help")
    request = urllib.request.Request(
        f"{url}/slack/events",
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert standin.calls_to("response_url") == []


def test_healthz_and_unknown_paths(server) -> None:
    url, _ = server
    status, body = get(f"{url}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert get(f"{url}/nowhere")[0] == 404


def test_readyz_metrics_and_one_log_line_per_request(server, directory) -> None:
    url, log = server
    status, ready = get(f"{url}/readyz")
    assert (status, json.loads(ready)["status"]) == (200, "ready")
    # Which analyser reads Finnish shows, so that a missing Voikko is never silent.
    assert json.loads(ready)["details"]["finnish_words"] == finnish_analysis().analyser
    status, metrics = get(f"{url}/metrics")
    assert status == 200
    assert "verkosto_outbox_waiting 0.0" in metrics
    assert "verkosto_outbox_failed 0.0" in metrics
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    foresight = network(directory, FORESIGHT)
    assert foresight is not None
    with directory.db.transaction() as store:
        for number in range(2):
            store.outbox.put(
                workspace_id=foresight.workspace_id,
                network_id=foresight.id,
                key=f"test:{number}",
                kind=MessageKind.REMINDER,
                recipient=OUTSIDER,
                due_at=an_hour_ago,
                now=an_hour_ago,
            )
    waiting = get(f"{url}/metrics")[1]
    assert "verkosto_outbox_waiting 2.0" in waiting, waiting
    [oldest] = [line for line in waiting.splitlines() if line.startswith("verkosto_outbox_oldest")]
    assert 3600 <= float(oldest.split()[1]) < 3700
    lines = [json.loads(line.split(": ", 1)[1]) for line in log if "verkosto.requests" in line]
    assert {"method": "GET", "path": "/readyz", "status": 200} in [
        {k: v for k, v in line.items() if k != "ms"} for line in lines
    ]
    assert all(isinstance(line["ms"], float) for line in lines)


def test_serve_without_a_platform_names_their_settings_and_suggests_the_demo(
    tmp_path: Path,
) -> None:
    done = run(["serve"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "TEAMS_CLIENT_ID" in done.stderr
    assert "verkosto demo" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_serve_names_only_what_is_missing(tmp_path: Path) -> None:
    done = run(["serve"], tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr and "SLACK_BOT_TOKEN" not in done.stderr


def test_many_workspaces_need_both_oauth_settings_and_http(tmp_path: Path) -> None:
    half = run(["serve"], tmp_path, SLACK_CLIENT_ID="1.2", SLACK_SIGNING_SECRET="s")
    assert half.returncode == 2 and "SLACK_CLIENT_SECRET" in half.stderr
    socket = run(
        ["serve"],
        tmp_path,
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="c",
        SLACK_SIGNING_SECRET="s",
        SLACK_APP_TOKEN="xapp-1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
    )
    assert socket.returncode == 2 and "unset SLACK_APP_TOKEN" in socket.stderr
    assert "Traceback" not in half.stderr + socket.stderr


def test_a_bad_setting_is_named_without_a_traceback(tmp_path: Path) -> None:
    done = run(["serve"], tmp_path, VERKOSTO_LANGUAGE="de", PORT="many")
    assert done.returncode == 2
    assert "VERKOSTO_LANGUAGE" in done.stderr and "PORT" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_on_a_database_that_is_not_migrated_says_what_to_run(tmp_path: Path) -> None:
    done = run(
        ["serve"],
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}",
    )
    assert done.returncode == 2
    assert "verkosto db upgrade" in done.stderr and "Traceback" not in done.stderr


def test_settings_can_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\n")
    done = run(["serve"], tmp_path)
    assert "SLACK_BOT_TOKEN" not in done.stderr and "SLACK_SIGNING_SECRET" in done.stderr


def test_db_upgrade_then_worker_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgraded = run(["db", "upgrade"], tmp_path, DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"The database is up to date (revision {head_revision()})" in upgraded.stdout
    without_token = run(["worker", "--once"], tmp_path, DATABASE_URL=url)
    assert without_token.returncode == 2
    assert "needs SLACK_BOT_TOKEN" in without_token.stderr
    worker = run(["worker", "--once"], tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1")
    assert worker.returncode == 0, worker.stderr
    assert "reminders queued: 0; messages sent: 0" in worker.stderr


def test_calendar_feeds_are_served_over_http(server, directory) -> None:
    url, _ = server
    foresight = network(directory, FORESIGHT)
    assert foresight is not None
    status, body = get(f"{url}/calendar/{foresight.calendar_token}.ics")
    assert status == 200 and body.startswith("BEGIN:VCALENDAR")
    assert get(f"{url}/calendar/no-such-token-anywhere.ics")[0] == 404


def test_the_worker_runs_its_jobs_until_stopped_and_keeps_them_in_the_database(
    tmp_path: Path, directory, standin, database_url: str
) -> None:
    due_reminders(directory, 3)
    settings = environment(
        DATABASE_URL=database_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=standin.api_url
    )
    process = subprocess.Popen(
        [*VERKOSTO, "worker"], cwd=tmp_path, env=settings, stderr=subprocess.PIPE, text=True
    )
    try:
        seen = 0
        for _ in range(3):
            call = standin.wait_for("chat.postMessage", after=seen, timeout=30)
            assert call is not None, "the reminders were sent while the worker ran"
            seen = call.seq
    finally:
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=30)
    assert process.returncode == 0, log
    assert "stopping the worker" in log
    with directory.db.snapshot() as store:
        jobs = set(store.session.scalars(text("SELECT id FROM apscheduler_jobs")))
    assert jobs == {
        "fire-reminders",
        "close-polls",
        "ask-feedback",
        "queue-digests",
        "send-outbox",
        "refresh-profiles",
        "prune",
    }
