"""The auth service's public keys, from the JWKS document it publishes.

Fetched on first need and again whenever a token names a key id not known yet (the auth service
has a new key: rotation needs no restart here), but at most once per `min_refresh` seconds, so
tokens with made-up key ids cannot make every request a call to the auth service.

pyjwt parses the document (PyJWKSet); its PyJWKClient is not used to fetch it because it reads
the URL with urllib, blocking the event loop (and every request of the worker) for the call.
"""

import asyncio
import time
from collections.abc import Callable

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from acme_sales.app.sdk import errs, metrics
from acme_sales.foundation.logger import Logger

JWKS_PATH = "/v1/auth/jwks"


class JWKSKeys:
    """Public keys by kid, as the auth service at the other end of `http` publishes them."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        log: Logger,
        min_refresh: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._log = log
        self._min_refresh = min_refresh
        self._clock = clock
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None  # the last attempt, successful or not
        self._failed = False  # did the last attempt fail
        self._lock = asyncio.Lock()  # one fetch at a time; the others wait for its result

    async def key(self, kid: str) -> RSAPublicKey | None:
        """The key `kid`, or None when the auth service does not have it (errs.Error 503 when
        it cannot be asked)."""
        if (key := self._keys.get(kid)) is not None:
            return key
        async with self._lock:
            if kid not in self._keys and self._may_fetch():
                await self._fetch()
            if self._failed and kid not in self._keys:
                raise errs.Error(errs.ErrCode.UNAVAILABLE, "auth service unavailable")
        return self._keys.get(kid)

    def _may_fetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._min_refresh

    async def _fetch(self) -> None:
        self._fetched_at = self._clock()
        started = time.perf_counter()
        try:
            response = await self._http.get(JWKS_PATH)
            response.raise_for_status()
            document = jwt.PyJWKSet.from_json(response.text)
        except (httpx.HTTPError, jwt.PyJWTError) as err:
            self._failed = True
            self._log.error("auth service keys unavailable", path=JWKS_PATH, error=repr(err))
        else:
            self._failed = False
            self._keys = {
                jwk.key_id: jwk.key
                for jwk in document.keys
                if jwk.key_id is not None and isinstance(jwk.key, RSAPublicKey)
            }
        metrics.AUTH_CLIENT_REQUESTS.labels("jwks", "unavailable" if self._failed else "ok").inc()
        metrics.AUTH_CLIENT_DURATION.labels("jwks").observe(time.perf_counter() - started)
