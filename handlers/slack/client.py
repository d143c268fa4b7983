"""Clients for Slack's Web API and for response URLs, with slack_sdk's retry handlers for rate
limits and passing failures."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient

from bot.settings import Settings

API_TIMEOUT_SECONDS = 10
RETRIES = 2
BACKOFF_SECONDS = 0.5


def retry_handlers(backoff: float = BACKOFF_SECONDS) -> list[RetryHandler]:
    """Retry dropped connections, 5xx answers and 429s (after their Retry-After)."""
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    return [
        ConnectionErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=interval),
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),
        ServerErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=interval),
    ]


def web_client(
    settings: Settings,
    backoff: float = BACKOFF_SECONDS,
    retries: bool = True,
    timeout: float = API_TIMEOUT_SECONDS,
    token: str | None = None,
) -> WebClient:
    """A Web API client with `token` (by default `SLACK_BOT_TOKEN`). Without `retries` a
    failure comes back at once, for the outbox, which retries later instead of holding a worker
    thread (and never resends what Slack may have taken before a connection dropped)."""
    base_url = settings.slack_api_url
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=timeout,
        retry_handlers=retry_handlers(backoff) if retries else [],
    )


def client_like(client: WebClient, token: str | None) -> WebClient:
    """A client that calls and retries as `client` does, with another workspace's `token`."""
    return WebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=client.retry_handlers,
    )


def response_client(response_url: str, like: WebClient) -> WebhookClient:
    """A client for one `response_url`, retrying like the Web API client `like`."""
    return WebhookClient(response_url, timeout=like.timeout, retry_handlers=like.retry_handlers)
