"""`verkosto demo`, scripted through standard input as a newcomer would pipe it."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.processes import run


def demo(tmp_path: Path, *lines: str) -> str:
    done = run(["demo"], tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_list_join_mine_in_order(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        "/network list ennakointi",
        "/network join kansallinen-ennakointiverkosto",
        "/network mine",
    )
    listing = out.index("Networks for “ennakointi” · 4 networks")
    assert out.index("National foresight network", listing) > listing
    assert "[1] Join" in out
    joined = out.index("Welcome! You are now a member of National foresight network")
    assert joined > listing
    assert "(Verkosto added Mikko Korhonen to #ennakointi.)" in out
    mine = out.index("Your network")
    assert mine > joined
    assert "National foresight network kansallinen-ennakointiverkosto · member since" in out[mine:]


def test_a_request_is_approved_by_the_coordinator_in_another_persons_shoes(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        ":as sara",
        "/network join hr-juristiverkosto",
        ":as aino",
        ":click 1",
        ":as sara",
        "/network mine",
    )
    assert "(Verkosto sent Aino Virtanen a message; type :as aino to read it.)" in out
    notice = out.index("Sara Lindqvist asks to join HR lawyers' network")
    assert out.index("[1] Approve", notice) > notice
    assert "Aino Virtanen approved Sara Lindqvist's request" in out
    assert "Välkommen! Din begäran om att gå med i HR-juristiverkosto har godkänts" in out, (
        "Sara reads Swedish, and gets the Finnish name where there is no Swedish one"
    )
    assert "medlem sedan" in out


def test_a_network_is_created_through_the_form_field_by_field(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        "/network create",
        "Tekoälyn soveltajat",  # name in Finnish
        "x" * 200,  # name in English: too long, asked again
        "",  # name in Swedish
        "",  # short name
        "2",  # category: development
        "",
        "",
        "",
        "",  # descriptions, organisation
        "1,2",  # scope: state, municipalities
        "ai, data",  # keywords
        "",
        "",
        "",
        "",
        "",
        "",
        "",  # join policy, listed, published, members may announce, channel, origin, source
        "AI practitioners",  # the English name, asked again
        "/network info tekoalyn-soveltajat",
    )
    assert "┌ New network" in out
    assert "✗ name_en: Too long: at most 150 characters." in out
    assert "AI practitioners is ready and you are its coordinator" in out
    assert "1 member" in out[out.index("/network info tekoalyn-soveltajat") :]


def test_the_demos_own_commands_explain_themselves(tmp_path: Path) -> None:
    out = demo(tmp_path, ":help", ":who", ":as nobody", ":click 9", "hello", "/other")
    assert ":click N" in out and ":as NAME" in out
    assert "aino" in out and "Olli Mäkinen" in out
    assert "There is nobody called “nobody”" in out
    assert "There is no such button" in out
    assert "I do not know “hello”" in out
    assert "Only /network is installed here" in out


def test_joining_a_channel_in_slack_makes_a_member_in_the_demo(tmp_path: Path) -> None:
    out = demo(tmp_path, ":enter #ennakointi", "/network mine")
    assert "so you are now a member of National foresight network" in out
    assert "National foresight network kansallinen-ennakointiverkosto · member since" in out


def test_the_demo_speaks_finnish_when_asked(tmp_path: Path) -> None:
    done = run(["demo", "--language", "fi"], tmp_path, stdin="/network lista ennakointi\n")
    assert "Verkostot haulle ”ennakointi” · 4 verkostoa" in done.stdout


def test_an_event_is_announced_answered_and_reminded_after_time_moves_on(tmp_path: Path) -> None:
    helsinki = ZoneInfo("Europe/Helsinki")
    day = datetime.now(helsinki).date() + timedelta(days=10)
    starts = datetime.combine(day, time(10, 0), tzinfo=helsinki)
    # The demo's clock is the real one: move it to within the hour after "a day before".
    to_day_before = math.ceil((starts - timedelta(days=1) - datetime.now(UTC)) / timedelta(hours=1))
    out = demo(
        tmp_path,
        "/network join kansallinen-ennakointiverkosto",
        ":as aino",
        "/network event kansallinen-ennakointiverkosto",
        "Foresight morning",  # title
        day.isoformat(),  # date
        "10:00",  # starts
        "",  # ends on (the same day)
        "12:00",  # ends
        "",  # time zone: Europe/Helsinki
        "Säätytalo",
        "",  # online link
        "",  # description
        "2",  # seats
        "",  # answer by
        "",  # reminders: a day and an hour before
        "",  # does not repeat
        "",  # repeat until
        ":as mikko",
        ":click 1",
        f":time +{to_day_before}h",
        ":time +23h",
    )
    assert "┌ New event" in out
    announced = out.index("── #ennakointi ──")
    assert "FORESIGHT MORNING" in out[announced:]
    assert "[1] Going   [2] Maybe   [3] Not going   Add to calendar (http://127.0.0.1:" in out
    answered = out.index("You are going to Foresight morning")
    assert "1/2 going" in out[announced:answered] and "Going: Mikko Korhonen" in out
    day_before = out.index("Reminder: Foresight morning is tomorrow.")
    hour_before = out.index("Reminder: Foresight morning starts in an hour.")
    assert out.index("(The clock moves on:") < day_before < hour_before


def test_a_poll_is_asked_on_one_line_and_voted_on(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        "/network join kansallinen-ennakointiverkosto",
        ":as aino",
        '/network poll kansallinen-ennakointiverkosto "Which date suits?" "Monday" "Tuesday"',
        ":as mikko",
        ":click 2",
        "/network poll results 1",
    )
    assert "WHICH DATE SUITS?" in out and "Poll 1 · pick one" in out
    voted = out.index("Your vote in Which date suits?: Tuesday.")
    assert "██████████ 1 vote (100 %)" in out[:voted]
    assert "Tuesday  ██████████ 1 vote (100 %)" in out[voted:]


def test_a_week_later_the_channel_gets_its_digest(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        "/network join kansallinen-ennakointiverkosto",
        "/network signal kansallinen-ennakointiverkosto Libraries lend VR headsets",
        ":time +7d",
    )
    moved = out.index("(The clock moves on:")
    digest = out.index("NATIONAL FORESIGHT NETWORK: THE DIGEST", moved)
    assert "Mikko Korhonen. Welcome!" in out[digest:]
    assert "1 new weak signal" in out[digest:] and "> Libraries lend VR headsets" in out[digest:]
    assert "Networks worth knowing" in out[digest:]


def test_the_home_tab_shows_ones_networks_suggestions_and_settings(tmp_path: Path) -> None:
    out = demo(tmp_path, "/network join kansallinen-ennakointiverkosto", ":home", ":click 3")
    home = out.index("── Home ──")
    assert "MY NETWORKS" in out[home:] and "National foresight network · member" in out[home:]
    assert "NETWORKS FOR YOU" in out[home:] and "Foresight pilot group" in out[home:]
    assert "▾ English" in out[home:]
    clicked = out.index(":click 3")
    assert "Welcome! You are now a member of Foresight pilot group." in out[clicked:]


def test_rights_follow_slack_at_once_and_names_with_spaces_are_quoted(tmp_path: Path) -> None:
    out = demo(
        tmp_path,
        ":profile admin on",
        "/network digest kansallinen-ennakointiverkosto",
        ":profile admin off",
        "/network digest kansallinen-ennakointiverkosto",
        '/network signal «National foresight network» libraries lend "VR" headsets',
    )
    demoted = out.index(":profile admin off")
    assert "NATIONAL FORESIGHT NETWORK: THE DIGEST" in out[:demoted], "made an admin in Slack"
    assert "Only the coordinators of National foresight network can do that" in out[demoted:]
    assert 'libraries lend "VR" headsets' in out[demoted:]


def test_a_day_later_the_worker_reads_peoples_profiles_again(tmp_path: Path) -> None:
    out = demo(tmp_path, "/network list", ":time +2d", "/network mine", ":time +1m")
    assert out.count("(The clock moves on:") == 2
    assert "You have not joined any network yet." in out
