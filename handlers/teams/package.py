"""The Teams app package that an admin uploads: the manifest (schema 1.29) with the bot, its
command lists and the "Save as weak signal" message action in English, with Finnish and Swedish
beside it, and the two icons."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.commands import Verb
from bot.i18n import Translator, keywords
from handlers.teams.icons import ACCENT, color_icon, outline_icon
from handlers.teams.markup import plain_text

MANIFEST_VERSION = "1.29"
SCHEMAS = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}"
DEFAULT_LANGUAGE = "en"
OTHER_LANGUAGES = ("fi", "sv")
# At most 12 a list: what people do most, in the order of `help`.
COMMANDS = (
    Verb.HELP,
    Verb.LIST,
    Verb.INFO,
    Verb.JOIN,
    Verb.LEAVE,
    Verb.MINE,
    Verb.EVENTS,
    Verb.EVENT,
    Verb.POLL,
    Verb.SIGNAL,
    Verb.SETTINGS,
    Verb.PRIVACY,
)
# One list for the personal chat, one for where the bot is @mentioned.
COMMAND_SCOPES = (["personal"], ["team", "groupChat"])
SIGNAL_ACTION = "signal.save"
PACKAGE = "verkosto-teams.zip"
# A fixed time in the zip, so that the same settings always make the same package.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Publisher:
    """Who offers the app and where its listing points: `website` is where `verkosto serve`
    answers; `privacy` and `terms` are the organisation's own notices."""

    name: str
    website: str
    privacy: str
    terms: str


def app_package(app_id: str, publisher: Publisher) -> dict[str, bytes]:
    """Every file of the package, by name."""
    files = {
        "manifest.json": _json(manifest(app_id, publisher)),
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    for language in OTHER_LANGUAGES:
        files[f"{language}.json"] = _json(localization(language))
    return files


def write_package(files: dict[str, bytes], out: Path) -> Path:
    """The files, and the zip of them to upload, in `out`; the zip's path."""
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content)
    package = out / PACKAGE
    with zipfile.ZipFile(package, "w") as archive:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return package


def manifest(app_id: str, publisher: Publisher) -> dict[str, Any]:
    """The manifest, in English; `localization` holds the other languages' words."""
    texts = _texts(DEFAULT_LANGUAGE)
    return {
        "$schema": f"{SCHEMAS}/MicrosoftTeams.schema.json",
        "manifestVersion": MANIFEST_VERSION,
        "version": version("verkosto"),
        "id": app_id,
        "localizationInfo": {
            "defaultLanguageTag": DEFAULT_LANGUAGE,
            "additionalLanguages": [
                {"languageTag": language, "file": f"{language}.json"}
                for language in OTHER_LANGUAGES
            ],
        },
        "developer": {
            "name": publisher.name,
            "websiteUrl": publisher.website,
            "privacyUrl": publisher.privacy,
            "termsOfUseUrl": publisher.terms,
        },
        "name": {"short": texts["name.short"], "full": texts["name.full"]},
        "description": {
            "short": texts["description.short"],
            "full": texts["description.full"],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": scopes, "commands": _commands(texts, number)}
                    for number, scopes in enumerate(COMMAND_SCOPES)
                ],
            }
        ],
        "composeExtensions": [
            {
                "botId": app_id,
                "commands": [
                    {
                        "id": SIGNAL_ACTION,
                        "type": "action",
                        "context": ["message"],
                        "fetchTask": True,
                        "title": texts["composeExtensions[0].commands[0].title"],
                        "description": texts["composeExtensions[0].commands[0].description"],
                    }
                ],
            }
        ],
        "validDomains": [urlsplit(publisher.website).hostname],
    }


def localization(language: str) -> dict[str, str]:
    """A language's file: the manifest's words, by their place in it."""
    schema = {"$schema": f"{SCHEMAS}/MicrosoftTeams.Localization.schema.json"}
    return schema | _texts(language)


def _texts(language: str) -> dict[str, str]:
    """Every word of the manifest in `language`, keyed as Teams' localization files key them."""
    t = Translator(language, markup=plain_text)
    words = keywords("command")[language]
    texts = {
        "name.short": "Verkosto",
        "name.full": t("teams.app.name_full"),
        "description.short": t("teams.app.description_short"),
        "description.full": t("teams.app.description_full", help=words["help"][0]),
        "composeExtensions[0].commands[0].title": t("teams.app.signal_title"),
        "composeExtensions[0].commands[0].description": t("teams.app.signal_description"),
    }
    for number in range(len(COMMAND_SCOPES)):
        for index, verb in enumerate(COMMANDS):
            place = _command_place(number, index)
            texts[f"{place}.title"] = words[verb.value][0]
            texts[f"{place}.description"] = t(f"help.summary.{verb.value}")
    return texts


def _command_place(number: int, index: int) -> str:
    """Where a command stands in the manifest, as the localization files name it."""
    return f"bots[0].commandLists[{number}].commands[{index}]"


def _commands(texts: dict[str, str], number: int) -> list[dict[str, str]]:
    places = [_command_place(number, index) for index in range(len(COMMANDS))]
    return [
        {"title": texts[f"{place}.title"], "description": texts[f"{place}.description"]}
        for place in places
    ]


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"
