"""manifest.yml creates the app the code expects: its command, its URLs, exactly its scopes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from slack_sdk import WebClient

from bot.settings import MANIFEST_BOT_SCOPES, Settings
from handlers.slack.app import REDIRECT_PATH
from handlers.slack.server import EVENTS_PATH

ROOT = Path(__file__).parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

# The bot scopes each Web API method needs (Slack's method reference). A method the code starts
# calling must be added here, and its scope to the manifest, or this test fails.
METHOD_SCOPES = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_invite": {"channels:manage", "groups:write"},
    "conversations_open": {"im:write"},
    "files_upload_v2": {"files:write"},
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),
}
EVENT_SCOPES = {
    "member_joined_channel": {"channels:read", "groups:read"},
    "member_left_channel": {"channels:read", "groups:read"},
    "user_change": {"users:read"},
    "app_home_opened": set(),
    "app_uninstalled": set(),
    "channel_id_changed": {"groups:read"},
    "channel_shared": {"channels:read", "groups:read"},
    "channel_unshared": {"channels:read", "groups:read"},
    "channel_archive": {"channels:read"},
    "channel_deleted": {"channels:read"},
    "channel_unarchive": {"channels:read"},
    "channel_left": {"channels:read"},
    "group_left": {"groups:read"},
    "group_archive": {"groups:read"},
    "group_deleted": {"groups:read"},
    "group_unarchive": {"groups:read"},
    "tokens_revoked": set(),
    "team_access_revoked": set(),
}


def web_api_methods_used() -> set[str]:
    api = {name for name in dir(WebClient) if not name.startswith("_")}
    called = set()
    for path in [*(ROOT / "handlers").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]:
        if "standin" in path.parts:
            continue
        source = path.read_text()
        # Direct calls, and calls by name through the Slack platform's `_call("method", ...)`.
        called |= set(re.findall(r"\.(\w+)\(", source)) & api
        called |= set(re.findall(r'_call\(\s*"(\w+)"', source)) & api
    return called - {"api_call", "token"}


def events_listened_to() -> set[str]:
    found = set()
    for path in (ROOT / "handlers" / "slack").glob("*.py"):
        found |= set(re.findall(r'app\.event\("(\w+)"\)', path.read_text()))
    return found


def test_the_bot_scopes_are_exactly_those_the_code_uses() -> None:
    used = web_api_methods_used()
    assert used, "the scan found the Web API calls"
    unknown = used - set(METHOD_SCOPES)
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES and the manifest"
    needed = {"commands"}
    for method in used:
        needed |= METHOD_SCOPES[method]
    for event in events_listened_to():
        needed |= EVENT_SCOPES[event]
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_an_install_asks_for_the_manifests_scopes_and_comes_back_to_the_app() -> None:
    assert list(MANIFEST_BOT_SCOPES) == MANIFEST["oauth_config"]["scopes"]["bot"]
    [redirect] = MANIFEST["oauth_config"]["redirect_urls"]
    assert redirect.endswith(REDIRECT_PATH)
    assert Settings(_env_file=None).slack_install_path == "/slack/install"


def test_the_events_subscribed_are_those_listened_to() -> None:
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == events_listened_to()


def test_command_interactivity_and_events_point_at_slack_events() -> None:
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == Settings.model_fields["verkosto_command"].default
    assert command["should_escape"] is True, "mentions arrive as <@U…> ids"
    urls = [
        command["url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
    ]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_the_app_home_lets_the_bot_write_to_people() -> None:
    home = MANIFEST["features"]["app_home"]
    assert home["messages_tab_enabled"] is True
    assert home["home_tab_enabled"] is True
    assert 175 <= len(MANIFEST["display_information"]["long_description"]) <= 4000
