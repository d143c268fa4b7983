"""Settings from environment variables or a `.env` file, as DESIGN.md's contract names them."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.clock import is_time_zone
from bot.domain import Platform, Scope

Language = Literal["en", "fi", "sv"]
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# The bot scopes of manifest.yml (tests/test_manifest.py keeps the two the same).
MANIFEST_BOT_SCOPES = (
    "channels:history",
    "channels:manage",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "groups:write",
    "im:history",
    "im:write",
    "users:read",
)
EMAIL = re.compile(r"[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+")


class Settings(BaseSettings):
    """Everything an operator can set. Field names map to the upper-case variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    # Installing to many workspaces (OAuth v2): with these set, each workspace that installs the
    # app gets its own token, kept in the database, and SLACK_BOT_TOKEN is not used.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    # The bot scopes an install asks for, separated by commas; by default the manifest's.
    slack_scopes: str = ""
    slack_install_path: str = "/slack/install"
    # The kind of each organisation whose people take part through channels shared with Slack
    # Connect, by its team id, or an Enterprise Grid organisation's (E…) for all its workspaces:
    # `T0KUNTA=municipalities,T0SITRA=ngos,E0KUNNAT=municipalities`. Its people join an open
    # network at once where the network's scope includes that kind; anyone else asks.
    slack_connect_organisations: str = ""
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    # The Slack app's id (A…), for the web directory's links that open the bot in Slack.
    slack_app_id: str | None = None
    # The Teams app's id (a GUID): its Microsoft Entra app registration and its bot.
    teams_client_id: str | None = None
    teams_client_secret: str | None = None
    # A single-tenant app's tenant; a multi-tenant app leaves it unset.
    teams_tenant_id: str | None = None
    # For local clients only (the Agents Playground, the demo, tests): inbound tokens are not
    # checked and outbound calls carry none.
    teams_allow_unauthenticated: bool = False
    # Where Bot Framework publishes its signing keys, and where the app gets its own tokens;
    # tests and the demo point them at the stand-in.
    teams_keys_url: str = "https://login.botframework.com/v1/.well-known/keys"
    teams_token_url: str | None = None
    # The Entra object ids of the people who manage any network in the tenant (Teams does not
    # tell a bot who its tenant's admins are), separated by commas.
    teams_admins: str = ""
    database_url: str = "sqlite:///verkosto.db"
    port: int = Field(default=3000, ge=1, le=65535)
    verkosto_command: str = "/network"
    verkosto_language: Language = "en"
    verkosto_timezone: str = "Europe/Helsinki"
    # Where people reach `verkosto serve` from their calendars, for feeds and `.ics` files.
    verkosto_public_url: str | None = None
    # The public web directory and open data of the published networks (`on` or `off`).
    verkosto_web_directory: bool = False
    # Where readers of the directory send feedback (an e-mail or web address); the
    # accessibility statement gives it.
    verkosto_web_contact: str | None = None
    # Keys the ballots of polls; the signing secret serves when it is not set. Changing it
    # makes the open polls' voters new voters.
    verkosto_secret: str | None = None

    def ballot_key(self) -> bytes:
        return (self.verkosto_secret or self.slack_signing_secret or "").encode()

    # Sent messages, Events API delivery ids and poll comments older than this are let go.
    verkosto_retention_days: int = Field(default=730, ge=1)
    verkosto_refresh_seconds: float = Field(default=2.0, ge=0)

    web_concurrency: int = Field(default=2, ge=1)
    web_threads: int = Field(default=8, ge=1)

    @field_validator("verkosto_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError(f"unknown time zone {value!r}")
        return value

    @field_validator("verkosto_public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address, like https://verkosto.example.fi")
        return value.rstrip("/") if value else None

    @field_validator("verkosto_web_contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        value = value.strip() if value else None
        if value and not (EMAIL.fullmatch(value) or value.startswith("https://")):
            raise ValueError("must be an e-mail address or an https:// address")
        return value

    @field_validator("teams_client_id", "teams_tenant_id")
    @classmethod
    def _guid(cls, value: str | None) -> str | None:
        if value and not GUID.fullmatch(value):
            raise ValueError(
                "must be the app's id, a GUID like 00000000-0000-0000-0000-000000000000"
            )
        return value or None

    @field_validator("verkosto_command")
    @classmethod
    def _slash_command(cls, value: str) -> str:
        if not value.startswith("/") or len(value) < 2:
            raise ValueError("must start with / and name the command, like /network")
        return value

    def serves_slack(self) -> bool:
        """Slack is served with one token, or to workspaces that install the app (both OAuth
        settings; with one of them, `missing_for_serving` names the other)."""
        return bool(self.slack_bot_token or self.slack_client_id or self.slack_client_secret)

    def slack_installs(self) -> bool:
        """Whether workspaces install the Slack app themselves (OAuth v2), each with its token."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def partner_kinds(self) -> dict[str, Scope]:
        """`SLACK_CONNECT_ORGANISATIONS` as a team id to the kind of its organisation."""
        kinds = {}
        for pair in self.slack_connect_organisations.split(","):
            if pair.strip():
                team, _, kind = pair.partition("=")
                kinds[team.strip()] = Scope(kind.strip())
        return kinds

    @field_validator("slack_connect_organisations")
    @classmethod
    def _partners(cls, value: str) -> str:
        for pair in value.split(","):
            team, _, kind = pair.partition("=")
            if pair.strip() and (not team.strip() or kind.strip() not in set(Scope)):
                kinds = ", ".join(scope.value for scope in Scope)
                raise ValueError(f"each must be TEAM_ID=KIND, the kind one of {kinds}: {pair!r}")
        return value

    def slack_bot_scopes(self) -> list[str]:
        """The bot scopes an install asks for."""
        chosen = [scope.strip() for scope in self.slack_scopes.split(",") if scope.strip()]
        return chosen or list(MANIFEST_BOT_SCOPES)

    def serves_teams(self) -> bool:
        return bool(self.teams_client_id)

    def directory_url(self) -> str | None:
        """Where the web directory is, when it is on and its address is known."""
        if not self.verkosto_web_directory or not self.verkosto_public_url:
            return None
        return self.verkosto_public_url

    def served_platforms(self) -> tuple[Platform, ...]:
        """The platforms these settings serve, Slack first."""
        served = ((Platform.SLACK, self.serves_slack()), (Platform.TEAMS, self.serves_teams()))
        return tuple(platform for platform, on in served if on)

    def teams_admin_ids(self) -> frozenset[str]:
        """The people `TEAMS_ADMINS` names, by Entra object id."""
        return frozenset(
            part.strip().lower() for part in self.teams_admins.split(",") if part.strip()
        )

    def teams_token_address(self) -> str:
        """Where the Teams app asks Microsoft Entra for its tokens: its own tenant's endpoint
        for a single-tenant app, Bot Framework's for a multi-tenant one."""
        if self.teams_token_url:
            return self.teams_token_url
        tenant = self.teams_tenant_id or "botframework.com"
        return f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"

    def missing_for_serving(self) -> list[str]:
        """The variables `verkosto serve` needs but does not have for the platforms it serves
        (Slack's when its token is set, Teams' when its app id is), by their names."""
        required: dict[str, str | None] = {}
        if self.serves_slack():
            required["SLACK_SIGNING_SECRET"] = self.slack_signing_secret
        if self.serves_teams() and not self.slack_signing_secret:
            # Ballots need a key that outlives the Teams app's secret, which Entra expires.
            required["VERKOSTO_SECRET"] = self.verkosto_secret
        missing = [name for name, value in required.items() if not value]
        return missing + self.missing_for_slack() + self.missing_for_teams()

    def missing_for_slack(self) -> list[str]:
        """What Slack needs to send (the worker too): both OAuth settings, if either is set."""
        if not (self.slack_client_id or self.slack_client_secret):
            return []
        halves = {
            "SLACK_CLIENT_ID": self.slack_client_id,
            "SLACK_CLIENT_SECRET": self.slack_client_secret,
        }
        return [name for name, value in halves.items() if not value]

    def missing_for_teams(self) -> list[str]:
        """What Teams needs to send (the worker too): the app's secret, unless it talks only
        to local clients."""
        if self.serves_teams() and not self.teams_allow_unauthenticated:
            return [] if self.teams_client_secret else ["TEAMS_CLIENT_SECRET"]
        return []
