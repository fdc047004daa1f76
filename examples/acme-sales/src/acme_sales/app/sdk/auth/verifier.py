"""Verifying tokens against public keys found by key id, each token verified once per process.

An RS256 signature check costs a few hundred µs of CPU, as much as the rest of a simple request;
a client sends the same token with every request for its whole life. So a token whose signature
and claims were verified is remembered (the token itself is the key, so a token changed by one
bit is verified afresh) until it expires, in a bounded cache per process.
"""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from acme_sales.app.sdk.auth.claims import Claims
from acme_sales.app.sdk.auth.tokens import InvalidTokenError, decode, key_id
from acme_sales.foundation.keystore import KeyNotFoundError


class PublicKeys(Protocol):
    async def key(self, kid: str) -> RSAPublicKey | None:
        """The public key with id `kid`, or None when there is none."""
        ...


class PrivateKeys(Protocol):
    def public_key(self, kid: str) -> RSAPublicKey:
        """The public half of key `kid`; KeyNotFoundError when there is none."""
        ...


class KeyStoreKeys:
    """The public halves of a key store's keys: the auth service verifies with its own."""

    def __init__(self, keys: PrivateKeys) -> None:
        self._keys = keys

    async def key(self, kid: str) -> RSAPublicKey | None:
        try:
            return self._keys.public_key(kid)
        except KeyNotFoundError:
            return None


class TokenVerifier:
    """The claims of valid tokens signed by one of `keys` for `issuer`."""

    def __init__(
        self,
        keys: PublicKeys,
        *,
        issuer: str,
        leeway: timedelta = timedelta(0),
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._leeway = leeway
        self._max_entries = max_entries
        self._clock = clock
        self._verified: dict[str, Claims] = {}

    async def verify(self, token: str) -> Claims:
        """The token's claims if it is valid now; else InvalidTokenError."""
        claims = self._verified.get(token)
        if claims is not None:
            if claims.exp > self._clock():
                return claims
            del self._verified[token]  # expired: decode says so, with the usual reason
        public_key = await self._keys.key(key_id(token))
        if public_key is None:
            raise InvalidTokenError("unknown key id")
        claims = decode(token, public_key, issuer=self._issuer, leeway=self._leeway)
        if len(self._verified) >= self._max_entries:
            del self._verified[next(iter(self._verified))]  # the oldest entry
        self._verified[token] = claims
        return claims
