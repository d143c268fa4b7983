"""`verkosto import FILE`: validated records, progress, and a second run that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot.domain import Platform
from handlers.slack.standin.model import TEAM_ID
from storage.models import Workspace
from tests.conftest import ROOT_DATA
from tests.processes import run
from tests.support import network, snapshot


def test_importing_the_real_networks_twice_changes_nothing(tmp_path, database_url, services):
    first = run(["import", str(ROOT_DATA), "--team", TEAM_ID], tmp_path, DATABASE_URL=database_url)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "[ 1/29] added: alueelliset-hyvinvointiverkostot"
    assert "29 added, 0 updated, 0 unchanged, 0 rejected." in first.stdout
    stored = snapshot(services)
    assert len(stored["networks"]) == 29
    second = run(["import", str(ROOT_DATA)], tmp_path, DATABASE_URL=database_url)
    assert second.returncode == 0, second.stderr
    assert "0 added, 0 updated, 29 unchanged, 0 rejected." in second.stdout
    assert snapshot(services) == stored


def test_a_changed_record_is_updated_and_what_coordinators_set_is_kept(
    tmp_path, database_url, services
):
    records = json.loads(ROOT_DATA.read_text())[:2]
    path = tmp_path / "two.json"
    path.write_text(json.dumps(records))
    run(["import", str(path), "--team", TEAM_ID], tmp_path, DATABASE_URL=database_url)
    records[1]["description_en"] = "A new description."
    path.write_text(json.dumps(records))
    done = run(["import", str(path)], tmp_path, DATABASE_URL=database_url)
    assert "0 added, 1 updated, 1 unchanged, 0 rejected." in done.stdout
    assert network(services, records[1]["id"]).description_en == "A new description."


def test_bad_records_are_reported_by_id_and_field_and_not_imported_in_part(
    tmp_path: Path, database_url: str, services
) -> None:
    good = json.loads(ROOT_DATA.read_text())[0]
    records = [
        {**good, "id": "no-english", "name_en": None},
        {**good, "id": "bad-category", "category": "astrology"},
        {**good, "id": "long-name", "name_fi": "x" * 4000},
        {**good, "id": "Not A Slug"},
        {**good, "id": "typo", "desciption_en": "misspelt"},
        "not an object",
        good,
        {**good, "name_en": "The same id again"},
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records))
    done = run(["import", str(path), "--team", TEAM_ID], tmp_path, DATABASE_URL=database_url)
    assert done.returncode == 1
    out = done.stdout
    assert "1 added, 0 updated, 0 unchanged, 7 rejected." in out
    assert "record 1 (no-english), field name_en: This is needed." in out
    assert "record 2 (bad-category), field category: Choose one of the options." in out
    assert "record 3 (long-name), field name_fi: Too long: at most 150 characters." in out
    assert "record 4 (Not A Slug), field id: Use 2 to 64 lowercase letters" in out
    assert "record 5 (typo), field desciption_en: This field is not part of the format." in out
    assert "record 6 (?), field -: is not a JSON object" in out
    assert f"record 8 ({good['id']}), field id: appears twice in the file" in out
    assert "Traceback" not in done.stderr
    stored = snapshot(services)["networks"]
    assert [row["slug"] for row in stored] == [good["id"]]
    assert stored[0]["name_en"] == good["name_en"], "the duplicate did not overwrite the first"


def test_an_unreadable_file_is_reported_plainly(tmp_path: Path, database_url: str, db) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{")
    done = run(["import", str(path), "--team", TEAM_ID], tmp_path, DATABASE_URL=database_url)
    assert done.returncode == 2 and "Cannot read" in done.stderr and "Traceback" not in done.stderr
    missing = run(["import", str(tmp_path / "nope.json")], tmp_path, DATABASE_URL=database_url)
    assert missing.returncode == 2 and "Cannot read" in missing.stderr


def test_without_a_workspace_the_import_asks_which(tmp_path: Path, database_url: str, db) -> None:
    done = run(["import", str(ROOT_DATA)], tmp_path, DATABASE_URL=database_url)
    assert done.returncode == 2
    assert "Which workspace? Pass --team" in done.stderr


def test_a_tenant_imported_before_anyone_used_teams_is_kept_as_a_teams_workspace(
    tmp_path: Path, database_url: str, db
) -> None:
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    both = ["import", str(ROOT_DATA), "--tenant", tenant, "--team", TEAM_ID]
    assert run(both, tmp_path, DATABASE_URL=database_url).returncode == 2
    slack_id = ["import", str(ROOT_DATA), "--tenant", TEAM_ID]
    assert run(slack_id, tmp_path, DATABASE_URL=database_url).returncode == 2

    done = run(["import", str(ROOT_DATA), "--tenant", tenant], tmp_path, DATABASE_URL=database_url)

    assert done.returncode == 0, done.stderr
    with db.snapshot() as store:
        rows = store.session.execute(select(Workspace.team_id, Workspace.platform)).all()
    platforms = dict(rows)
    assert platforms == {tenant: Platform.TEAMS}
