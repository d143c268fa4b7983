"""`verkosto serve` as a real process on a busy machine: the first commands after a start are
answered in time, and the work waiting for the after-ack process shows in /metrics."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.slack.standin.driver import Driver, over_http
from handlers.slack.standin.model import BOT_TOKEN
from handlers.slack.standin.server import WebApiStandIn
from tests.processes import eventually, free_port, serving
from tests.support import FORESIGHT, MEMBER, SIGNING_SECRET, text_of

# A form's trigger id lasts 3 seconds; the answer must come well within that.
IN_TIME = 2.0
CREATE = ("create", "views.open")
LIST = ("list ennakointi", "response_url")
INFO = (f"info {FORESIGHT}", "response_url")


@pytest.fixture
def busy_machine() -> Iterator[None]:
    """Two processes that keep a processor busy each, at normal priority, as during a deploy."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield
    for hog in hogs:
        hog.kill()
        hog.wait()


def start(tmp_path: Path, standin: WebApiStandIn, database_url: str, workers: int = 1):
    port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
    }
    return f"http://127.0.0.1:{port}", serving(tmp_path, **settings)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def answers(standin: WebApiStandIn, count: int, after: int = 0, timeout: float = 10) -> list:
    """The next `count` answers posted to response_urls, waiting for each."""
    found = []
    for _ in range(count):
        answer = standin.wait_for("response_url", after=after, timeout=timeout)
        assert answer is not None, f"{len(found)} of {count} answers came"
        found.append(answer)
        after = answer.seq
    return found


def metric(url: str, name: str) -> float:
    lines = get(f"{url}/metrics")[1].splitlines()
    return float(next(line for line in lines if line.startswith(f"{name} ")).split()[1])


@pytest.mark.parametrize("commands", [(CREATE, LIST, INFO), (LIST, CREATE, INFO)])
def test_the_first_commands_after_a_start_beside_busy_processes_are_answered_in_time(
    commands, tmp_path, standin, database_url, directory, busy_machine
) -> None:
    url, server = start(tmp_path, standin, database_url)
    with server as served:
        # Connections wait in gunicorn's queue until the web process is ready, so this GET
        # returns as soon as it is.
        assert get(f"{url}/readyz")[0] == 200
        ready = time.perf_counter()
        driver = Driver(over_http(f"{url}/slack/events"), standin, SIGNING_SECRET)
        for number, (text, method) in enumerate(commands):
            before = standin.last_seq
            sent = ready if number == 0 else time.perf_counter()
            assert driver.command(MEMBER, text).status == 200
            answer = standin.wait_for(method, after=before, timeout=IN_TIME)
            assert answer is not None, f"no {method} for {text!r} in time:\n" + "".join(served.log)
            assert answer.received - sent < IN_TIME
            if method == "views.open":
                assert answer.params["view"]["callback_id"] == "network.form"
            else:
                assert "National foresight network" in text_of(answer)


def test_work_waiting_for_the_after_ack_process_shows_in_metrics_and_readyz(
    tmp_path, standin, database_url, directory
) -> None:
    url, server = start(tmp_path, standin, database_url)
    with server as served:
        assert get(f"{url}/readyz")[0] == 200
        [child] = served.after_ack_processes()
        os.kill(child, signal.SIGSTOP)
        driver = Driver(over_http(f"{url}/slack/events"), standin, SIGNING_SECRET)
        try:
            for _ in range(3):
                assert driver.command(MEMBER, "help").status == 200
            # Each is handed over once its ack has been written, a moment after it arrived.
            assert eventually(lambda: metric(url, "verkosto_answers_waiting") == 3)
            assert metric(url, "verkosto_answers_oldest_waiting_seconds") > 0
            assert standin.calls_to("response_url") == []
        finally:
            os.kill(child, signal.SIGCONT)
        answered = answers(standin, 3)
        assert all("/network join NAME" in text_of(answer) for answer in answered)
        assert metric(url, "verkosto_answers_waiting") == 0

        os.kill(child, signal.SIGKILL)
        unready = (503, "unavailable")
        assert eventually(lambda: readiness(url) == unready)
        # Asking whether it is ready starts it again: a load balancer sends nothing meanwhile.
        assert eventually(lambda: get(f"{url}/readyz")[0] == 200, timeout=30)
        assert [child] != served.after_ack_processes()
        assert driver.command(MEMBER, "help").status == 200
        assert answers(standin, 1, after=answered[-1].seq)


def test_web_processes_report_the_work_waiting_for_all_of_them(
    tmp_path, standin, database_url, directory
) -> None:
    url, server = start(tmp_path, standin, database_url, workers=2)
    with server as served:
        assert get(f"{url}/readyz")[0] == 200
        children = served.after_ack_processes()
        assert len(children) == 2
        for child in children:
            os.kill(child, signal.SIGSTOP)
        driver = Driver(over_http(f"{url}/slack/events"), standin, SIGNING_SECRET)
        try:
            for _ in range(6):
                assert driver.command(MEMBER, "help").status == 200
            # Each web process publishes its queue every second and when it is scraped.
            assert eventually(lambda: metric(url, "verkosto_answers_waiting") == 6)
        finally:
            for child in children:
                os.kill(child, signal.SIGCONT)
        answers(standin, 6)
        assert eventually(lambda: metric(url, "verkosto_answers_waiting") == 0)


def readiness(url: str) -> tuple[int, str]:
    """`GET /readyz`'s status code and the status it states."""
    status, body = get(f"{url}/readyz")
    return status, json.loads(body)["status"]
