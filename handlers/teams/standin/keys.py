"""Bot Framework's side of the tokens: a signing key of its own, its published key set served on
a loopback port, and tokens signed with it as Bot Connector signs each activity it sends."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.teams.auth import BOT_FRAMEWORK_ISSUER

TOKEN_LIFETIME_SECONDS = 3600


class SigningKeys:
    """One RSA key, published under `key_id`."""

    def __init__(self, key_id: str = "verkosto-standin") -> None:
        self.key_id = key_id
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def key_set(self) -> dict[str, Any]:
        """The JSON Web Key Set that Bot Framework publishes: this key's public half."""
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._private.public_key()))
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "endorsements": ["msteams"]}]}

    def token(
        self,
        app_id: str,
        service_url: str,
        *,
        issued_at: float | None = None,
        lifetime: float = TOKEN_LIFETIME_SECONDS,
        issuer: str = BOT_FRAMEWORK_ISSUER,
    ) -> str:
        """A token as Bot Connector sends with an activity for `app_id`."""
        now = time.time() if issued_at is None else issued_at
        claims = {
            "iss": issuer,
            "aud": app_id,
            "serviceurl": service_url,
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now + lifetime),
        }
        return self.sign(claims)

    def sign(self, claims: dict[str, Any]) -> str:
        """Any claims, signed with this key under its id."""
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.key_id})

    def public_pem(self) -> bytes:
        """The public key in PEM, as anyone can read it from the key set."""
        return self._private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@contextmanager
def serving(keys: SigningKeys) -> Iterator[str]:
    """The key set served on a loopback port while the block runs; yields its address."""
    key_set = json.dumps(keys.key_set()).encode()

    class KeySet(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(key_set)))
            self.end_headers()
            self.wfile.write(key_set)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read what matters from their own records."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeySet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1/.well-known/keys"
    finally:
        server.shutdown()
        server.server_close()
