"""Which activities come from Teams: each carries a token that Bot Framework signed for this
app. The token's signature is checked against Bot Framework's published keys (fetched, cached
for a day, and fetched again for a key id not seen before, at most every 30 seconds), and its
issuer, audience, expiry and service address against the activity. Like the Teams SDK, it does
not read the keys' channel endorsements."""

from __future__ import annotations

from typing import Any

import jwt

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_KEYS = "https://login.botframework.com/v1/.well-known/keys"
# Bot Framework's own allowance for clocks that differ.
LEEWAY_SECONDS = 300
KEYS_CACHED_SECONDS = 24 * 60 * 60
KEYS_TIMEOUT_SECONDS = 5


class Unauthorized(Exception):
    """The activity did not prove that it came from Teams; `reason` is for the log only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeysUnavailable(Exception):
    """Bot Framework's keys could not be fetched: nothing is known about the token yet, so the
    activity should be refused as "try again", not as forged."""


class ActivityAuth:
    """Checks the `Authorization` header of activities sent to the app `app_id`."""

    def __init__(self, app_id: str, keys_url: str = BOT_FRAMEWORK_KEYS) -> None:
        self._audiences = [app_id, f"api://{app_id}", f"api://botid-{app_id}"]
        self._keys = jwt.PyJWKClient(
            keys_url, lifespan=KEYS_CACHED_SECONDS, timeout=KEYS_TIMEOUT_SECONDS
        )

    def verify(self, authorization: str | None, service_url: str | None) -> dict[str, Any]:
        """The token's claims; raises `Unauthorized` for a missing, forged, expired or
        misdirected token, or one issued for another service address than the activity's, and
        `KeysUnavailable` when the keys to check it cannot be fetched."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("no bearer token")
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._audiences,
                issuer=BOT_FRAMEWORK_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWKClientConnectionError as error:
            raise KeysUnavailable(str(error)) from error
        except jwt.PyJWTError as error:
            raise Unauthorized(f"{type(error).__name__}: {error}") from None
        signed_for = str(claims.get("serviceurl") or "").rstrip("/")
        if not service_url or signed_for != service_url.rstrip("/"):
            raise Unauthorized("the token was issued for another service address")
        return claims
