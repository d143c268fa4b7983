"""Reports for coordinators: the numbers match three weeks of activity made through signed
requests; the chart (PNG) and the CSV are uploaded; `verkosto report` writes the same files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FrozenClock
from bot.services import Services
from handlers.slack.standin.server import WebApiStandIn
from tests.processes import run
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    TEAMS_NETWORK,
    Slack,
    buttons_of,
    snapshot,
)
from tests.test_events import announce, click, day, event_id

PNG = b"\x89PNG\r\n\x1a\n"


def three_weeks(slack: Slack, clock: FrozenClock) -> None:
    """From Monday 30 November 2026, 10:00 (Helsinki): two join, an event on Thursday with three
    going and their feedback, a poll with one vote, a signal seen by one more; in the second
    week one leaves; the third is quiet."""
    clock.advance(timedelta(hours=2))
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    slack.command(ADMIN, f"join {FORESIGHT}")
    slack.command(MEMBER, "join ennakointiluotsi")
    _, posted = announce(slack, start_date=day("2026-12-03"))
    for person in (MEMBER, ADMIN, COORDINATOR):
        click(slack, person, "going", event_id(posted))
    asked = slack.command(COORDINATOR, f'poll {FORESIGHT} "Spring in Oulu?" "Yes" "No"')
    [poll] = asked.to("chat.postMessage")
    yes = next(b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote"))
    slack.click(MEMBER, yes["action_id"], yes["value"], channel_id=LINKED)
    saved = slack.command(MEMBER, f"signal {FORESIGHT} Libraries lend VR headsets")
    [plus_one] = buttons_of(saved.to("chat.postMessage")[0])
    slack.click(COORDINATOR, plus_one["action_id"], plus_one["value"], channel_id=LINKED)
    # Thursday evening: the event is over and the two who went are asked how it was.
    clock.advance(timedelta(days=3, hours=8))
    asked_feedback = slack.worker()
    for person, stars in ((MEMBER, "★★★★"), (ADMIN, "★★★★★"), (COORDINATOR, "★★★")):
        [request] = [c for c in asked_feedback.posted() if c.params["channel"] == person]
        rating = next(b for b in buttons_of(request) if b["text"]["text"] == stars)
        slack.click(person, rating["action_id"], rating["value"], channel_id=f"D{person[1:]}")
    clock.advance(timedelta(days=4))
    slack.worker()  # the feedback closes: the event keeps 4.0 from 3 answers
    slack.command(OUTSIDER, f"leave {FORESIGHT}")
    clock.advance(datetime(2026, 12, 21, 9, 0, tzinfo=UTC) - clock.now())


def test_the_report_counts_what_happened_and_sends_the_chart_and_the_csv(
    slack: Slack, directory: Services, clock: FrozenClock, standin: WebApiStandIn
) -> None:
    three_weeks(slack, clock)
    answer = slack.command(COORDINATOR, f"report {FORESIGHT} 3w")
    body = answer.text
    assert "*National foresight network* from Nov 30, 2026 to Dec 21, 2026:" in body
    assert "members 2 → 3 (2 joined, 1 left); 3 members took part" in body
    assert "1 event held, 3 going in all, average feedback 4.0" in body
    assert "1 poll, answered by 25 % of the members on average" in body
    assert "1 weak signal, seen by 1 others too" in body
    assert "1 member also belongs to other networks: 1 networks of 1 organisations" in body
    assert "I sent you the chart and the CSV by direct message." in body

    files = {f["filename"]: f for f in standin.files.values()}
    chart, table = files[f"{FORESIGHT}-report.png"], files[f"{FORESIGHT}-report.csv"]
    assert chart["channel"] == table["channel"] == "D0AINO"
    assert chart["content"].startswith(PNG) and len(chart["content"]) > 10_000
    rows = list(csv.reader(io.StringIO(table["content"].decode())))
    assert rows[0] == [
        "week_start",
        "members",
        "joined",
        "left",
        "events",
        "attendance",
        "votes",
        "signals",
    ]
    assert rows[1:4] == [
        ["2026-11-30", "4", "2", "0", "1", "3", "1", "1"],
        ["2026-12-07", "3", "0", "1", "0", "0", "0", "0"],
        ["2026-12-14", "3", "0", "0", "0", "0", "0", "0"],
    ]
    assert ["Foresight morning", "2026-12-03T08:00+00:00", "3", "4.00", "3"] in rows
    assert any(row[:1] == ["Spring in Oulu?"] and row[2:4] == ["1", "4"] for row in rows)


def test_only_coordinators_get_a_report_and_bad_periods_are_explained(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    before = snapshot(directory)
    for user, typed, expected in (
        (MEMBER, f"report {FORESIGHT}", "Only the coordinators of *National foresight network*"),
        (COORDINATOR, f"report {FORESIGHT} 2026-12-01..2026-11-01", "must end after it begins"),
        (COORDINATOR, f"report {FORESIGHT} 2026-02-30..2026-03-01", "is not a period"),
        (COORDINATOR, f"report {FORESIGHT} 10y", "at most 3 years"),
        (COORDINATOR, "report", "Which network?"),
    ):
        assert expected in slack.command(user, typed).text, typed
    assert standin.files == {}
    assert snapshot(directory) == before


def test_the_command_line_writes_the_same_files(
    slack: Slack, directory: Services, clock: FrozenClock, tmp_path: Path, database_url: str
) -> None:
    three_weeks(slack, clock)
    done = run(
        [
            "report",
            FORESIGHT,
            "--from",
            "2026-11-30",
            "--to",
            "2026-12-20",
            "--out",
            str(tmp_path / "out"),
        ],
        tmp_path,
        DATABASE_URL=database_url,
    )
    assert done.returncode == 0, done.stderr
    # Whole days in Helsinki: Aino and Mikko joined that Monday morning too.
    assert "members 0 → 3 (4 joined, 1 left)" in done.stdout
    chart = tmp_path / "out" / f"{FORESIGHT}-report.png"
    table = (tmp_path / "out" / f"{FORESIGHT}-report.csv").read_text()
    assert chart.read_bytes().startswith(PNG)
    assert table.splitlines()[1:4] == [
        "2026-11-30,4,4,0,1,3,1,1",
        "2026-12-07,3,0,1,0,0,0,0",
        "2026-12-14,3,0,0,0,0,0,0",
    ]
    missing = run(
        ["report", "no-such-network", "--from", "2026-11-30", "--to", "2026-12-20"],
        tmp_path,
        DATABASE_URL=database_url,
    )
    assert missing.returncode == 2 and "No network has the short name no-such-network" in (
        missing.stderr
    )


def test_the_command_line_asks_which_workspace_when_several_have_the_network(
    slack: Slack, directory: Services, tmp_path: Path, database_url: str
) -> None:
    namesake = {**TEAMS_NETWORK, "id": FORESIGHT}
    assert directory.importer.run("T0TOINEN", [namesake]).ok
    dates = ["--from", "2026-11-30", "--to", "2026-12-20", "--out", str(tmp_path / "out")]

    which = run(["report", FORESIGHT, *dates], tmp_path, DATABASE_URL=database_url)
    assert which.returncode == 2
    assert f"Several workspaces have a network with the short name {FORESIGHT}" in which.stderr
    assert not (tmp_path / "out").exists()

    chosen = ["report", FORESIGHT, *dates, "--team", "T0TOINEN"]
    done = run(chosen, tmp_path, DATABASE_URL=database_url)
    assert done.returncode == 0, done.stderr
    table = (tmp_path / "out" / f"{FORESIGHT}-report.csv").read_text()
    assert table.splitlines()[1].startswith("2026-11-30,0,"), "the other workspace's: no members"
