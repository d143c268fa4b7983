"""Events API: people who join a linked channel become members; a changed profile is taken at
once (an admin flag taken away in Slack is gone here too) and deactivated accounts leave their
networks; a linked channel that moves follows, one disconnected, archived or deleted is shown to
its coordinators; retries are handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse

from bot.domain import ChannelTrouble
from bot.results.people import Profile
from bot.results.workspaces import WorkspaceIdentity
from handlers.slack.membership_render import channel_join_reply
from handlers.slack.payloads import Sender, actor_team, user_profile, workspace_of
from handlers.slack.runtime import Runtime

log = logging.getLogger(__name__)

# A channel shared again is no longer disconnected from this workspace or unshared.
SHARED_AGAIN = (ChannelTrouble.DISCONNECTED, ChannelTrouble.UNSHARED)
UNARCHIVED = (ChannelTrouble.ARCHIVED,)


def register(app: App, rt: Runtime) -> None:
    @app.middleware
    def handle_each_event_once(
        request: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks was lost; the second delivery is acked only."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not rt.services.deliveries.first_time(workspace_of(body), event_id):
            retry = request.headers.get("x-slack-retry-num")
            log.info("event %s delivered again (retry %s); already handled", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    def member_joined(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        user_id, channel_id = event.get("user"), event.get("channel")
        if not (user_id and channel_id):
            return
        team_id = workspace_of(body)
        if user_id == context.bot_user_id:
            # Invited back: the note on the coordinators' Home goes.
            rt.after_ack(channel_recovered, team_id, channel_id, (ChannelTrouble.BOT_REMOVED,))
        else:
            joined = Sender(team_id, user_id, channel_id=channel_id, user_team_id=actor_team(body))
            rt.after_ack(welcome, joined)

    app.event("member_joined_channel")(member_joined)

    def member_left(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        """Someone left a channel: only the bot's own leaving matters here. (Slack sometimes
        withholds `channel_left`, which tells the bot the same.)"""
        ack()
        channel_id = event.get("channel")
        if event.get("user") == context.bot_user_id and isinstance(channel_id, str):
            removed = ChannelTrouble.BOT_REMOVED
            rt.after_ack(channel_troubled, workspace_of(body), channel_id, removed)

    app.event("member_left_channel")(member_left)

    def user_changed(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        ack()
        user = event.get("user") or {}
        if not user.get("id"):
            return
        team_id = workspace_of(body)
        if user.get("deleted") is True:
            rt.after_ack(deactivated, Sender(team_id, user["id"]))
        else:
            seen_from = WorkspaceIdentity(team_id, body.get("enterprise_id"))
            profile = user_profile(user, seen_from)
            rt.after_ack(profile_changed, Sender(team_id, user["id"]), profile)

    app.event("user_change")(user_changed)

    def removed(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        """The app was uninstalled, or the bot's tokens revoked: the tokens go at once, so that
        nothing more is sent there; the workspace's data stays for the retention period."""
        ack()
        if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
            return
        workspace = workspace_of(body)
        log.warning("the app was removed from %s (%s)", workspace, event["type"])
        if rt.installs is None:
            return  # One token: the operator sets a new one; nothing here to forget.
        authorization = (body.get("authorizations") or [{}])[0]
        enterprise_id = authorization.get("enterprise_id") or body.get("enterprise_id")
        org_wide = bool(authorization.get("is_enterprise_install"))
        rt.installs.forget(None if org_wide else body.get("team_id"), enterprise_id)
        rt.services.workspaces.uninstalled(workspace)

    def channel_id_changed(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A channel's id changed (a private channel became shared): its networks follow."""
        ack()
        old_id, new_id = event.get("old_channel_id"), event.get("new_channel_id")
        if old_id and new_id:
            rt.after_ack(channel_moved, workspace_of(body), old_id, new_id)

    app.event("channel_id_changed")(channel_id_changed)

    def channel_unshared(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        """An organisation was removed from a shared channel: this workspace (the channel is
        gone here) or another one (its people no longer see it)."""
        ack()
        channel_id, removed_team = event.get("channel"), event.get("previously_connected_team_id")
        if isinstance(channel_id, str) and removed_team:
            ours = removed_team in _identities(body)
            trouble = ChannelTrouble.DISCONNECTED if ours else ChannelTrouble.UNSHARED
            rt.after_ack(channel_troubled, workspace_of(body), channel_id, trouble)

    def channel_changed(trouble: ChannelTrouble) -> Callable[..., None]:
        def listener(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
            ack()
            if isinstance(channel_id := event.get("channel"), str):
                rt.after_ack(channel_troubled, workspace_of(body), channel_id, trouble)

        return listener

    def channel_mended(troubles: tuple[ChannelTrouble, ...]) -> Callable[..., None]:
        def listener(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
            ack()
            if isinstance(channel_id := event.get("channel"), str):
                rt.after_ack(channel_recovered, workspace_of(body), channel_id, troubles)

        return listener

    app.event("channel_unshared")(channel_unshared)
    app.event("channel_shared")(channel_mended(SHARED_AGAIN))
    # Public channels, then private ones ("groups").
    app.event("channel_left")(channel_changed(ChannelTrouble.BOT_REMOVED))
    app.event("group_left")(channel_changed(ChannelTrouble.BOT_REMOVED))
    app.event("channel_archive")(channel_changed(ChannelTrouble.ARCHIVED))
    app.event("channel_deleted")(channel_changed(ChannelTrouble.DELETED))
    app.event("channel_unarchive")(channel_mended(UNARCHIVED))
    app.event("group_archive")(channel_changed(ChannelTrouble.ARCHIVED))
    app.event("group_deleted")(channel_changed(ChannelTrouble.DELETED))
    app.event("group_unarchive")(channel_mended(UNARCHIVED))

    def access_revoked(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        """An org-wide install no longer reaches some of the organisation's workspaces. Its one
        token still serves the others, so nothing is forgotten; what is sent to the ones it
        lost fails with Slack's reason and shows on the coordinators' Home."""
        ack()
        teams = ", ".join(str(team) for team in event.get("team_ids") or [])
        log.warning("%s no longer reaches its workspaces %s", workspace_of(body), teams)

    app.event("app_uninstalled")(removed)
    app.event("tokens_revoked")(removed)
    app.event("team_access_revoked")(access_revoked)


def channel_moved(rt: Runtime, team_id: str, old_id: str, new_id: str) -> None:
    """Work after the ack: move the networks' links to the channel's new id."""
    moved = rt.use_cases.attempt(
        lambda: rt.services.networks.channel_moved(team_id, old_id, new_id)
    )
    if moved:
        log.info("channel %s is now %s: %d network(s) follow it", old_id, new_id, moved)


def _identities(body: dict[str, Any]) -> set[str]:
    """The ids this workspace goes by in an event: its team's, and its organisation's."""
    authorization = (body.get("authorizations") or [{}])[0]
    ids = (
        body.get("team_id"),
        body.get("enterprise_id"),
        authorization.get("team_id"),
        authorization.get("enterprise_id"),
    )
    return {found for found in ids if isinstance(found, str) and found}


def channel_troubled(rt: Runtime, team_id: str, channel_id: str, trouble: ChannelTrouble) -> None:
    """Work after the ack: mark the networks linked to the channel, for their coordinators."""
    marked = rt.use_cases.attempt(
        lambda: rt.services.networks.channel_troubled(team_id, channel_id, trouble)
    )
    if marked:
        log.info("channel %s %s: %d network(s) linked to it", channel_id, trouble.value, marked)


def channel_recovered(
    rt: Runtime, team_id: str, channel_id: str, troubles: tuple[ChannelTrouble, ...]
) -> None:
    """Work after the ack: the channel works again; its networks' marks go. An unarchived
    channel may have lost the bot when it was archived: then that is what the note says."""
    mended = rt.use_cases.attempt(
        lambda: rt.services.networks.channel_mended(team_id, channel_id, troubles)
    )
    if not mended:
        return
    log.info("channel %s works again: %d network(s) linked to it", channel_id, mended)
    if troubles == UNARCHIVED and rt.platform.bot_is_in(channel_id) is False:
        channel_troubled(rt, team_id, channel_id, ChannelTrouble.BOT_REMOVED)


def welcome(rt: Runtime, sender: Sender) -> None:
    """Make the person a member of the networks linked to the channel (or, from another
    organisation, ask for them), and tell them."""
    actor = rt.actor(sender)
    assert sender.channel_id is not None
    joins = rt.services.memberships.join_by_channel(
        sender.team_id, sender.channel_id, sender.user_id
    )
    t = rt.use_cases.translator_for(actor)
    for join in joins:
        rt.platform.whisper(sender.channel_id, sender.user_id, channel_join_reply(t, join))
        rt.send_queued(join.queued)


def profile_changed(rt: Runtime, sender: Sender, profile: Profile) -> None:
    """Take the person's new name, time zone and admin flag, if the bot knows them."""
    if rt.use_cases.attempt(
        lambda: rt.services.people.profile_changed(sender.team_id, sender.user_id, profile)
    ):
        log.info("user %s: profile changed", sender.user_id)


def deactivated(rt: Runtime, sender: Sender) -> None:
    """A deactivated account has left its networks (nothing is said to anyone: it is gone)."""
    ended = rt.services.memberships.deactivated(sender.team_id, sender.user_id)
    log.info("user %s deactivated: %d memberships ended", sender.user_id, ended)
