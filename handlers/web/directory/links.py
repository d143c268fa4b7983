"""Addresses on the web directory, and what the bot's own answers say about it."""

from __future__ import annotations

from bot.results.networks import NetworkDetail


def network_page(directory_url: str | None, web_address: str | None) -> str | None:
    """A network's page, when the directory is on and the network shown there."""
    return f"{directory_url}/networks/{web_address}" if directory_url and web_address else None


def web_note(detail: NetworkDetail, web_page: str | None) -> str | None:
    """The key of what `info` says about the network on the web directory: where it is, or to
    its coordinators, why it is not there."""
    if detail.web_address:
        return "info.published_at" if web_page else "info.published"
    if not detail.can_edit:
        return None
    return "info.published_hidden" if detail.summary.published else "info.not_published"
