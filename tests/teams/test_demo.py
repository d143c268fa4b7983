"""`verkosto demo --platform teams`, scripted through standard input as a newcomer would pipe it."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.processes import run


def demo(tmp_path: Path, *lines: str) -> str:
    done = run(["demo", "--platform", "teams"], tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_a_request_is_approved_from_the_coordinators_card(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        ":as olli",
        "network join hr-juristiverkosto",
        ":as aino",
        ":click 1",
        ":as olli",
    )

    assert "is on its way to the coordinators" in out
    notice = out.index("Olli Mäkinen pyytää päästä verkostoon HR-juristiverkosto.")
    assert "[1] Hyväksy  [2] Hylkää" in out[notice:]
    card = out.index("── the card, as you now see it ──", notice)
    assert "Aino Virtanen hyväksyi pyynnön: Olli Mäkinen" in out[card:]
    assert "Welcome! Your request to join HR lawyers' network was approved." in out[card:]


def test_an_event_is_announced_in_a_dialog_answered_in_the_channel_and_reminded(
    tmp_path: Path,
) -> None:
    helsinki = ZoneInfo("Europe/Helsinki")
    day = datetime.now(helsinki).date() + timedelta(days=10)
    starts = datetime.combine(day, time(9, 0), tzinfo=helsinki)
    # The demo's clock is the real one: move it to within the hour after "a day before",
    # whatever the hour the test runs at.
    to_day_before = math.ceil((starts - timedelta(days=1) - datetime.now(UTC)) / timedelta(hours=1))
    out = demo(
        tmp_path,
        ":as aino",
        "network event kansallinen-ennakointiverkosto",
        ":click 1",
        # title, date, start, end date, end, zone, place, link, description, seats,
        # answer-by date and time, reminders, repeat, repeat until
        "Ennakointiaamu",
        day.isoformat(),
        "09:00",
        "",
        "11:00",
        "",
        "Säätytalo",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        ":as mikko",
        "network join kansallinen-ennakointiverkosto",
        ":help",
        ":channel ennakointi",
        ":click 1",
        f":time +{to_day_before}h",
    )

    announced = out.index("── #ennakointi ──")
    assert "Ennakointiaamu" in out[announced:]
    assert "[1] Going  [2] Maybe  [3] Not going" in out[announced:]
    assert "Going: Mikko Korhonen" in out
    assert "Muistutus: Ennakointiaamu on huomenna." in out
