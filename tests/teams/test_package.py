"""`verkosto teams package`: the app package an admin uploads to Teams, validated against
Microsoft's manifest schema (1.29, tests/data/teams) in every language it speaks."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from PIL import Image

from bot.commands import Verb, parse
from bot.errors import InvalidInput
from bot.words import Word
from handlers.teams.package import ZIP_TIME
from tests.processes import run

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "teams" / "MicrosoftTeams.schema.json").read_text()
)
APP_ID = "4b1f0f3c-5d2e-4a8b-9c61-2f7e8d9a0b13"
WEBSITE = "https://verkosto.valtori.example.fi:8443"
FILES = {"manifest.json", "color.png", "outline.png", "fi.json", "sv.json"}
PLACE = re.compile(r"(\w+)(?:\[(\d+)\])?")


def package(tmp_path: Path, *extra: str, **settings: str):
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "package"
    env = {"TEAMS_CLIENT_ID": APP_ID, "VERKOSTO_PUBLIC_URL": WEBSITE, **settings}
    done = run(["teams", "package", "--out", str(out), *extra], tmp_path, **env)
    return done, out


def unzipped(out: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(out / "verkosto-teams.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def in_language(manifest: dict[str, Any], words: dict[str, str]) -> dict[str, Any]:
    """The manifest as Teams shows it in a language: each localized string put in its place."""
    localized = json.loads(json.dumps(manifest))
    for key, text in words.items():
        if key == "$schema":
            continue
        *path, last = key.split(".")
        node: Any = localized
        for part in path:
            name, index = PLACE.fullmatch(part).groups()
            node = node[name] if index is None else node[name][int(index)]
        assert isinstance(node[last], str), f"{key} names a string of the manifest"
        node[last] = text
    return localized


def schema_problems(document: dict[str, Any]) -> list[str]:
    return [error.message for error in Draft4Validator(SCHEMA).iter_errors(document)]


def test_the_package_validates_against_the_schema_in_english_finnish_and_swedish(
    tmp_path: Path,
) -> None:
    done, out = package(
        tmp_path,
        "--publisher",
        "Valtori",
        "--privacy-url",
        "https://valtori.example.fi/tietosuoja",
        "--terms-url",
        "https://valtori.example.fi/ehdot",
    )

    assert done.returncode == 0, done.stderr
    assert "verkosto-teams.zip" in done.stdout
    files = unzipped(out)
    assert set(files) == FILES
    manifest = json.loads(files["manifest.json"])
    assert schema_problems(manifest) == []
    # Draft 4 does not read "const": the version is checked here.
    assert manifest["manifestVersion"] == SCHEMA["properties"]["manifestVersion"]["const"]
    for language in ("fi", "sv"):
        words = json.loads(files[f"{language}.json"])
        assert schema_problems(in_language(manifest, words)) == [], language
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["developer"]["name"] == "Valtori"
    assert manifest["developer"]["privacyUrl"] == "https://valtori.example.fi/tietosuoja"
    assert manifest["developer"]["websiteUrl"] == WEBSITE
    assert manifest["validDomains"] == ["verkosto.valtori.example.fi"], "a host, no port"
    [action] = manifest["composeExtensions"][0]["commands"]
    assert (action["type"], action["context"], action["fetchTask"]) == ("action", ["message"], True)
    assert action["title"] == "Save as weak signal"


def test_each_command_in_the_lists_is_understood_in_its_language(tmp_path: Path) -> None:
    _, out = package(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    english = manifest["bots"][0]["commandLists"][0]["commands"]
    finnish = json.loads((out / "fi.json").read_text())

    verbs = []
    for index, command in enumerate(english):
        titles = [
            command["title"],
            finnish[f"bots[0].commandLists[0].commands[{index}].title"],
            json.loads((out / "sv.json").read_text())[
                f"bots[0].commandLists[0].commands[{index}].title"
            ],
        ]
        understood = {verb_of(title) for title in titles}
        assert len(understood) == 1, f"{titles} mean one thing"
        verbs.append(understood.pop())
    assert verbs[:4] == [Verb.HELP, Verb.LIST, Verb.INFO, Verb.JOIN]
    assert finnish["bots[0].commandLists[0].commands[3].title"] == "liity"
    assert "**" not in json.dumps(finnish), "the manifest shows no markup"


def verb_of(title: str) -> Verb:
    """What the bot's grammar makes of a command typed as the list shows it."""
    try:
        return parse([Word(title)]).verb
    except InvalidInput as needs_more:
        # Understood, but it wants its arguments: the usage it points to names the verb.
        assert needs_more.key in ("error.usage", "error.missing_name"), (title, needs_more.key)
        return Verb(needs_more.params["usage_key"].removeprefix("help.usage."))


def test_the_icons_are_the_sizes_teams_asks_for(tmp_path: Path) -> None:
    _, out = package(tmp_path)
    color = Image.open(io.BytesIO((out / "color.png").read_bytes()))
    outline = Image.open(io.BytesIO((out / "outline.png").read_bytes())).convert("RGBA")

    assert (color.format, color.size) == ("PNG", (192, 192))
    assert outline.size == (32, 32)
    colours = {colour for _, colour in outline.getcolors(32 * 32)}
    assert (0, 0, 0, 0) in colours, "transparent around the outline"
    assert all(alpha == 0 or (r, g, b) == (255, 255, 255) for r, g, b, alpha in colours)


def test_the_same_settings_make_the_same_package(tmp_path: Path) -> None:
    _, first = package(tmp_path / "one")
    _, second = package(tmp_path / "two")

    assert (first / "verkosto-teams.zip").read_bytes() == (
        second / "verkosto-teams.zip"
    ).read_bytes()
    with zipfile.ZipFile(first / "verkosto-teams.zip") as archive:
        entries = archive.infolist()
    assert {entry.date_time for entry in entries} == {ZIP_TIME}
    assert {entry.compress_type for entry in entries} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"TEAMS_CLIENT_ID": ""}, "Missing: TEAMS_CLIENT_ID."),
        ({"VERKOSTO_PUBLIC_URL": ""}, "Missing: VERKOSTO_PUBLIC_URL."),
        ({"TEAMS_CLIENT_ID": "verkosto-bot"}, "TEAMS_CLIENT_ID is not valid"),
        ({"VERKOSTO_PUBLIC_URL": "http://localhost:3000"}, "only over https"),
        (
            {"TEAMS_CLIENT_ID": "", "VERKOSTO_LANGUAGE": "fi"},
            "Puuttuu: TEAMS_CLIENT_ID.",
        ),
    ],
)
def test_without_the_apps_id_or_address_nothing_is_written(
    tmp_path: Path, settings: dict[str, str], expected: str
) -> None:
    done, out = package(tmp_path, **settings)

    assert done.returncode == 2
    assert expected in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "given",
    [
        ("--privacy-url", "tietosuoja.html"),
        ("--terms-url", "http://example.fi/terms"),
        ("--publisher", "Valtion tieto- ja viestintätekniikkakeskus"),
    ],
)
def test_links_and_names_that_teams_would_refuse_are_refused_here(
    tmp_path: Path, given: tuple[str, str]
) -> None:
    done, out = package(tmp_path, *given)

    assert done.returncode == 2
    assert given[0] in done.stderr
    assert not out.exists()
