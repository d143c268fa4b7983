"""Activities prove that they come from Teams with a token Bot Framework signed: tokens are
checked against the published keys, served here by the stand-in, as Microsoft serves them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import jwt
import pytest

from handlers.teams.auth import ActivityAuth, Unauthorized
from handlers.teams.standin.keys import SigningKeys, serving

APP_ID = "4b1f0f3c-5d2e-4a8b-9c61-2f7e8d9a0b13"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"


@pytest.fixture(scope="module")
def keys() -> SigningKeys:
    return SigningKeys()


@pytest.fixture(scope="module")
def auth(keys: SigningKeys) -> Iterator[ActivityAuth]:
    with serving(keys) as keys_url:
        yield ActivityAuth(APP_ID, keys_url)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def test_a_token_bot_framework_signed_for_this_app_is_accepted(
    auth: ActivityAuth, keys: SigningKeys
) -> None:
    claims = auth.verify(bearer(keys.token(APP_ID, SERVICE_URL)), SERVICE_URL)

    assert claims["aud"] == APP_ID
    assert claims["serviceurl"] == SERVICE_URL


def test_a_clock_a_few_minutes_off_is_allowed(auth: ActivityAuth, keys: SigningKeys) -> None:
    two_minutes_stale = keys.token(APP_ID, SERVICE_URL, issued_at=time.time() - 3720)

    assert auth.verify(bearer(two_minutes_stale), SERVICE_URL.rstrip("/"))["aud"] == APP_ID


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz"])
def test_without_a_bearer_token_nothing_is_accepted(auth: ActivityAuth, header) -> None:
    with pytest.raises(Unauthorized):
        auth.verify(header, SERVICE_URL)


def test_forged_expired_and_misdirected_tokens_are_refused(
    auth: ActivityAuth, keys: SigningKeys
) -> None:
    impostor = SigningKeys(keys.key_id)  # the same key id, another key
    stranger = SigningKeys("not-published")
    refused = {
        "forged": impostor.token(APP_ID, SERVICE_URL),
        "signed with an unpublished key": stranger.token(APP_ID, SERVICE_URL),
        "expired": keys.token(APP_ID, SERVICE_URL, issued_at=time.time() - 7200),
        "for another app": keys.token("5c2f1e4d-0000-4000-8000-000000000000", SERVICE_URL),
        "from another issuer": keys.token(APP_ID, SERVICE_URL, issuer="https://evil.example"),
        "for another service address": keys.token(APP_ID, "https://evil.example/"),
        "unsigned": jwt.encode(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": time.time() + 60},
            key=None,
            algorithm="none",
        ),
        "not a token": "not.a.token",
    }

    for what, token in refused.items():
        with pytest.raises(Unauthorized):
            auth.verify(bearer(token), SERVICE_URL)
            pytest.fail(f"{what} was accepted")


def test_a_token_is_checked_against_the_activitys_own_service_address(
    auth: ActivityAuth, keys: SigningKeys
) -> None:
    token = keys.token(APP_ID, SERVICE_URL)

    with pytest.raises(Unauthorized):
        auth.verify(bearer(token), "https://smba.trafficmanager.net/amer/")
    with pytest.raises(Unauthorized):
        auth.verify(bearer(token), None)
