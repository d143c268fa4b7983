"""Settings from environment variables or a `.env` file, as DESIGN.md's contract names them."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.clock import is_time_zone

Language = Literal["en", "fi", "sv"]
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class Settings(BaseSettings):
    """Everything an operator can set. Field names map to the upper-case variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    # The Teams app's id (a GUID): its Microsoft Entra app registration and its bot.
    teams_client_id: str | None = None
    database_url: str = "sqlite:///verkosto.db"
    port: int = Field(default=3000, ge=1, le=65535)
    verkosto_command: str = "/network"
    verkosto_language: Language = "en"
    verkosto_timezone: str = "Europe/Helsinki"
    # Where people reach `verkosto serve` from their calendars, for feeds and `.ics` files.
    verkosto_public_url: str | None = None
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

    @field_validator("teams_client_id")
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

    def missing_for_slack(self) -> list[str]:
        """The variables `verkosto serve` needs but does not have, by their names."""
        required = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
        }
        return [name for name, value in required.items() if not value]
