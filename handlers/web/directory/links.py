"""Addresses on the web directory, and what the bot's own answers say about it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.results.networks import NetworkDetail


@dataclass(frozen=True)
class WebNote:
    """What `info` says about a network on the web directory: a catalog key, and its page."""

    key: str
    page: str | None = None


def network_page(directory_url: str | None, web_address: str | None) -> str | None:
    """A network's page, when the directory is on and the network shown there."""
    return f"{directory_url}/networks/{web_address}" if directory_url and web_address else None


def web_note(
    detail: NetworkDetail, directory_on: bool, directory_url: str | None
) -> WebNote | None:
    """Where the network is on the directory, or to those who may edit it, why it is not there;
    nothing while the deployment has no directory."""
    if not directory_on:
        return None
    if detail.web_address:
        page = network_page(directory_url, detail.web_address)
        return WebNote("info.published_at", page) if page else WebNote("info.published")
    if not detail.can_edit:
        return None
    if not detail.summary.published:
        return WebNote("info.not_published")
    if detail.summary.archived:
        return WebNote("info.published_but_archived")
    return WebNote("info.published_but_unlisted")
