"""The one place that reads Slack payloads: who acts, where, and what they typed."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request.internals import build_context, extract_actor_team_id

from bot.commands import ChannelMention, PersonMention, Token
from bot.domain import Platform
from bot.results.people import Profile
from bot.results.workspaces import WorkspaceIdentity
from bot.use_cases import Caller
from bot.words import Word, split_words

# Slack's markup: <@U123|name>, <#C123|name>, <!channel>, <https://...|label>.
_MARKUP = re.compile(r"<[^<>]*>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|.*)?$")
_CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)(?:\|.*)?$")
# Control characters other than tab and line breaks: invisible, and PostgreSQL stores no NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def with_form_body(request: BoltRequest) -> BoltRequest:
    """The request with its form read whole. Bolt takes any form body that contains the word
    "payload" (in a command's text, say) for an interaction, finds no `payload` field and reads
    the request as empty, so that a command like `signal … payload …` would go unanswered."""
    raw = request.raw_body
    if request.body or not raw or raw.startswith("{"):
        return request
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in fields:
        return request
    request.body = fields
    request.context = build_context(BoltContext(), fields)
    return request


def without_control_characters(payload: Any) -> Any:
    """The payload with control characters taken out of every text in it (dicts and lists are
    changed in place), so that what people type can always be stored."""
    if isinstance(payload, str):
        return _CONTROL.sub("", payload)
    if isinstance(payload, dict):
        for key, value in payload.items():
            payload[key] = without_control_characters(value)
    elif isinstance(payload, list):
        payload[:] = [without_control_characters(value) for value in payload]
    return payload


def workspace_of(body: dict[str, Any]) -> str:
    """The workspace a request belongs to in Verkosto: its team, or for an app installed
    org-wide on Enterprise Grid, the organisation, whose people and channels have the same ids
    in each of its workspaces (so a person is one person, with one set of memberships)."""
    authorization = (body.get("authorizations") or [{}])[0]
    enterprise = body.get("enterprise")
    enterprise_id = (
        body.get("enterprise_id")
        or (enterprise.get("id") if isinstance(enterprise, dict) else None)
        or authorization.get("enterprise_id")
    )
    org_wide = body.get("is_enterprise_install") in (True, "true") or authorization.get(
        "is_enterprise_install"
    )
    if org_wide and enterprise_id:
        return str(enterprise_id)
    # In Bolt's order: in a shared channel an event's own `team_id` may be another
    # organisation's, and a form's is the team that installed the app.
    team = body.get("team")
    user = body.get("user")
    view = body.get("view")
    return str(
        authorization.get("team_id")
        or (view.get("app_installed_team_id") if isinstance(view, dict) else None)
        or body.get("team_id")
        or (team.get("id") if isinstance(team, dict) else None)
        or (user.get("team_id") if isinstance(user, dict) else None)
        or ""
    )


def actor_team(body: dict[str, Any]) -> str | None:
    """The team of whoever did what an event tells, in a shared channel (Slack Connect), as far
    as the event shows it; None elsewhere (their team is the workspace's)."""
    if body.get("is_ext_shared_channel") is not True:
        return None
    return extract_actor_team_id(body)


@dataclass(frozen=True)
class Sender:
    """Who did something in Slack, in which team and channel, and how to answer them."""

    team_id: str
    user_id: str
    team_name: str | None = None
    channel_id: str | None = None
    trigger_id: str | None = None
    # The person's own team, as an interaction tells it (another one in a shared channel).
    user_team_id: str | None = None

    def caller(self, workspace: WorkspaceIdentity | None) -> Caller:
        """The person as the core knows a caller, in the workspace the request is for. Someone
        whose own team is not that plain workspace's is from another organisation. (In Enterprise
        Grid a colleague's team may be another of the organisation's: there only their profile
        tells.)"""
        organisation = None
        if workspace and workspace.team_id and not workspace.enterprise_id:
            organisation = self.user_team_id if self.user_team_id != workspace.team_id else None
        return Caller(self.team_id, self.user_id, Platform.SLACK, self.team_name, organisation)

    @classmethod
    def of_command(cls, body: dict[str, Any]) -> Sender:
        return cls(
            team_id=workspace_of(body),
            user_id=body["user_id"],
            team_name=body.get("team_domain"),
            channel_id=body.get("channel_id"),
            trigger_id=body.get("trigger_id"),
        )

    @classmethod
    def of_interaction(cls, body: dict[str, Any]) -> Sender:
        """From `block_actions` and `view_submission` payloads."""
        team = body.get("team") or {}
        user = body["user"]
        channel = body.get("channel") or {}
        return cls(
            team_id=workspace_of(body),
            user_id=user["id"],
            team_name=team.get("domain"),
            channel_id=channel.get("id"),
            trigger_id=body.get("trigger_id"),
            user_team_id=user.get("team_id"),
        )


def tokenize(text: str) -> list[Token]:
    """Slash-command text (HTML-escaped by Slack) as words, quoted phrases and mentions."""
    tokens: list[Token] = []
    for piece in split_words(text or "", _MARKUP):
        if isinstance(piece, Word):
            # Kept even when empty: an empty poll option deserves an answer, not silence.
            tokens.append(Word(html.unescape(piece.text), piece.quoted, html.unescape(piece.raw)))
            continue
        inner = piece.text[1:-1]
        if user := _USER.match(inner):
            tokens.append(PersonMention(user.group(1)))
        elif channel := _CHANNEL.match(inner):
            tokens.append(ChannelMention(channel.group(1)))
        else:
            tokens.append(Word(f"<{html.unescape(inner)}>"))
    return tokens


def user_profile(user: dict[str, Any], workspace: WorkspaceIdentity | None = None) -> Profile:
    """A Slack user object (from `users.info` or a `user_change` event) as a profile; seen from
    `workspace`, someone of another organisation (Slack Connect) is marked as such."""
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user.get("id", "")
    )
    updated = user.get("updated")
    return Profile(
        display_name=name,
        timezone=user.get("tz"),
        is_workspace_admin=bool(user.get("is_admin") or user.get("is_owner")),
        version=updated if isinstance(updated, int) and 0 < updated < 2**33 else None,
        organisation=_organisation(user, workspace),
        judged_organisation=workspace is not None
        and bool(workspace.team_id or workspace.enterprise_id),
    )


def _organisation(user: dict[str, Any], workspace: WorkspaceIdentity | None) -> str | None:
    """The organisation of a person from another one (a stranger, or someone whose team and
    Enterprise Grid organisation are neither the workspace's): their Grid organisation, or
    their team where it belongs to none."""
    team = user.get("team_id")
    if workspace is None or not team or not (workspace.team_id or workspace.enterprise_id):
        return None
    enterprise = (user.get("enterprise_user") or {}).get("enterprise_id") or user.get(
        "enterprise_id"
    )
    ours = {workspace.team_id, workspace.enterprise_id} - {None, ""}
    if user.get("is_stranger") is True or not ({team, enterprise} & ours):
        return str(enterprise or team)
    return None
