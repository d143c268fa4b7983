"""`POST /api/messages`: the activities Teams sends the bot, checked and answered.

Every activity must carry a Bot Framework token for this app (`auth.py`), unless
`TEAMS_ALLOW_UNAUTHENTICATED` is set for a local client: without one, or with a forged or
expired one, the answer is 401. The sender and the conversation are remembered (for proactive
messages). A message is answered at once and carried out after the answer, as Slack's commands
are; a button (`adaptiveCard/action`) is carried out while Teams waits, since its answer is the
card to show. A linked channel deleted (or restored) is noted for the network's coordinators.
Activities Verkosto does not use are answered 200 and ignored, so that Teams does not send them
again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from bot.commands import parse
from bot.domain import ChannelTrouble
from bot.i18n import Translator
from bot.results.people import Actor
from handlers.teams import actions, forms
from handlers.teams.activity import Activity
from handlers.teams.auth import ActivityAuth, KeysUnavailable, Unauthorized
from handlers.teams.cards import Message
from handlers.teams.home_card import asks_for_home, home_message
from handlers.teams.replies import help_message
from handlers.teams.runtime import TeamsRuntime
from handlers.web.routes import Wsgi

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
MAX_BODY_BYTES = 512 * 1024
INSTALLED = ("add",)
# A dialog's form, and the form of the "Save as weak signal" message action.
SUBMITTED = ("task/submit", "composeExtension/submitAction")
# What Teams tells a bot in a team about one of its channels (`conversationUpdate`).
CHANNEL_DELETED = "channelDeleted"
CHANNEL_RESTORED = "channelRestored"


def answer_message(rt: TeamsRuntime, activity: Activity) -> None:
    """Run the command a person typed (or mentioned the bot with) and answer them."""

    def produce(actor: Actor, t: Translator) -> Message | None:
        tokens = activity.command_tokens()
        if asks_for_home(tokens):
            return home_message(t, rt.services.home.page(actor), rt.settings.verkosto_public_url)
        tokens = rt.named_people(activity, tokens)
        return rt.runner(activity, actor, t).run(parse(tokens))

    answer = rt.outcome_message(activity, produce)
    if answer is not None:
        rt.answer(activity, answer)


def welcome(rt: TeamsRuntime, activity: Activity) -> None:
    """The app was added to the person's own chat: say what it does, in their language."""
    answer = rt.outcome_message(activity, lambda actor, t: help_message(t))
    if answer is not None:
        rt.answer(activity, answer)


def handle(rt: TeamsRuntime, activity: Activity) -> dict[str, Any] | None:
    """Act on an authenticated activity; the body of the HTTP answer, if it has one."""
    rt.remember(activity)
    if activity.type == "message" and activity.text.strip():
        rt.after_response(answer_message, activity)
    elif activity.type == "invoke" and activity.name == "adaptiveCard/action":
        return actions.pressed(rt, activity)
    elif activity.type == "invoke" and activity.name == "task/fetch":
        return forms.fetch(rt, activity)
    elif activity.type == "invoke" and activity.name in SUBMITTED:
        return forms.submit(rt, activity)
    elif activity.type == "invoke" and activity.name == "composeExtension/fetchTask":
        return forms.fetch_message_action(rt, activity)
    elif activity.type == "installationUpdate" and _installed_for_oneself(activity):
        rt.after_response(welcome, activity)
    elif activity.type == "conversationUpdate" and (changed := _channel_change(activity)):
        rt.after_response(channel_changed, activity.tenant_id, *changed)
    return None


def _channel_change(activity: Activity) -> tuple[str, str] | None:
    """A team's channel deleted or restored: its id, and which."""
    channel_data = activity.raw.get("channelData") or {}
    channel_id = (channel_data.get("channel") or {}).get("id")
    event_type = channel_data.get("eventType")
    if isinstance(channel_id, str) and event_type in (CHANNEL_DELETED, CHANNEL_RESTORED):
        return channel_id, event_type
    return None


def channel_changed(rt: TeamsRuntime, tenant_id: str, channel_id: str, event_type: str) -> None:
    """Work after the answer: a linked channel deleted is shown to the network's coordinators
    on their home card; restored, the note goes."""
    networks = rt.services.networks
    if event_type == CHANNEL_DELETED:
        deleted = ChannelTrouble.DELETED
        marked = rt.use_cases.attempt(
            lambda: networks.channel_troubled(tenant_id, channel_id, deleted)
        )
    else:
        marked = rt.use_cases.attempt(
            lambda: networks.channel_mended(tenant_id, channel_id, (ChannelTrouble.DELETED,))
        )
    if marked:
        log.info("channel %s: %s, %d network(s) linked to it", channel_id, event_type, marked)


def _installed_for_oneself(activity: Activity) -> bool:
    """Added to the person's own chat (in a team, nobody asked to be told)."""
    return activity.action in INSTALLED and activity.personal


def teams_route(rt: TeamsRuntime, auth: ActivityAuth | None) -> Wsgi:
    """The WSGI application of `POST /api/messages`; with `auth` None, tokens are not checked
    (`TEAMS_ALLOW_UNAUTHENTICATED`). A single-tenant app (`TEAMS_TENANT_ID`) refuses other
    tenants' activities."""

    tenant = rt.settings.teams_tenant_id

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", None, [("Allow", "POST")])
        try:
            activity = Activity.read(json.loads(_body(environ)))
        except (ValueError, TypeError, AttributeError):
            return _answer(start_response, "400 Bad Request", None)
        if auth is not None:
            try:
                auth.verify(environ.get("HTTP_AUTHORIZATION"), activity.service_url)
            except Unauthorized as refused:
                log.warning("refused an activity: %s", refused.reason)
                return _answer(start_response, "401 Unauthorized", None)
            except KeysUnavailable as error:
                log.warning("Bot Framework's keys could not be fetched: %s", error)
                return _answer(start_response, "503 Service Unavailable", None)
        if tenant and activity.tenant_id != tenant:
            log.warning("refused an activity from another tenant")
            return _answer(start_response, "403 Forbidden", None)
        return _answer(start_response, "200 OK", handle(rt, activity))

    return route


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ValueError("no length") from None
    if not 0 < length <= MAX_BODY_BYTES:
        raise ValueError("too long or empty")
    return bytes(environ["wsgi.input"].read(length))


def _answer(
    start_response: Callable[..., Any],
    status: str,
    body: dict[str, Any] | None,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    content = json.dumps(body).encode() if body is not None else b""
    kind = [("Content-Type", "application/json")] if body is not None else []
    start_response(status, [*kind, *(headers or []), ("Content-Length", str(len(content)))])
    return [content]
