"""Addresses on the web directory, for the bot's own answers."""

from __future__ import annotations


def network_page(directory_url: str | None, slug: str) -> str | None:
    """A network's page, when the directory is on and its address known."""
    return f"{directory_url}/networks/{slug}" if directory_url else None
