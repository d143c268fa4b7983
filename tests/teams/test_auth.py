"""Activities prove that they come from Teams with a token Bot Framework signed: tokens are
checked against the published keys, served here by the stand-in, as Microsoft serves them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import jwt
import pytest

from handlers.teams.auth import ActivityAuth, KeysUnavailable, Unauthorized
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
    claims = {
        "iss": "https://api.botframework.com",
        "aud": APP_ID,
        "serviceurl": SERVICE_URL,
        "exp": time.time() + 600,
    }
    published = {"kid": keys.key_id}
    public_pem = keys.public_pem()
    refused = {
        "forged": impostor.token(APP_ID, SERVICE_URL),
        "signed with an unpublished key": stranger.token(APP_ID, SERVICE_URL),
        # Six minutes past its expiry: past Bot Framework's five minutes of leeway too.
        "expired": keys.token(APP_ID, SERVICE_URL, issued_at=time.time() - 3960),
        "for another app": keys.token("5c2f1e4d-0000-4000-8000-000000000000", SERVICE_URL),
        "from another issuer": keys.token(APP_ID, SERVICE_URL, issuer="https://evil.example"),
        "for another service address": keys.token(APP_ID, "https://evil.example/"),
        "unsigned, naming the published key": jwt.encode(
            claims, key=None, algorithm="none", headers=published
        ),
        "signed with the public key as a shared secret": hs256(claims, public_pem, published),
        "without an expiry": keys.sign({k: v for k, v in claims.items() if k != "exp"}),
        "without a service address": keys.sign(
            {k: v for k, v in claims.items() if k != "serviceurl"}
        ),
        "not a token": "not.a.token",
    }

    for what, token in refused.items():
        with pytest.raises(Unauthorized):
            auth.verify(bearer(token), SERVICE_URL)
            pytest.fail(f"{what} was accepted")


def hs256(claims: dict, secret: bytes, headers: dict) -> str:
    """A token signed the way an attacker would try when a validator trusts the token's own
    algorithm: HMAC with the published public key as the secret."""

    def part(data: dict) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT', **headers})}.{part(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def test_when_the_keys_cannot_be_fetched_the_activity_is_refused_as_try_again(
    keys: SigningKeys,
) -> None:
    with serving(keys) as keys_url:
        pass  # served, then closed: nothing answers at that address any more
    auth = ActivityAuth(APP_ID, keys_url)

    with pytest.raises(KeysUnavailable):
        auth.verify(bearer(keys.token(APP_ID, SERVICE_URL)), SERVICE_URL)


def test_a_token_is_checked_against_the_activitys_own_service_address(
    auth: ActivityAuth, keys: SigningKeys
) -> None:
    token = keys.token(APP_ID, SERVICE_URL)

    with pytest.raises(Unauthorized):
        auth.verify(bearer(token), "https://smba.trafficmanager.net/amer/")
    with pytest.raises(Unauthorized):
        auth.verify(bearer(token), None)
