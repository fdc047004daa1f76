"""The auth service's routes.

- GET  /v1/auth/token/{kid}    Basic email:password -> a token signed with key `kid`
                               (rate limited per client address: 429 with Retry-After)
- GET  /v1/auth/authenticate   Bearer token -> the user id and claims (401 when invalid)
- POST /v1/auth/authorize      claims, target user id and rule -> 204, or 403
- GET  /v1/auth/jwks           the public signing keys, a JWKS (RFC 7517) for verifiers
"""

import base64
import binascii
import time
from typing import Any, Final, Literal

import msgspec
from jwt.algorithms import RSAAlgorithm
from litestar import Request, Router, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.params import FromPath, JSONBody
from litestar.stores.memory import MemoryStore
from litestar.types import Receive, Scope, Send

from acme_sales.app.sdk import errs
from acme_sales.app.sdk.auth.auth import (
    Auth,
    AuthenticationError,
    AuthInfo,
    AuthorizationError,
)
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.app.sdk.authclient import AuthorizeRequest
from acme_sales.business.domain.userbus import (
    AuthenticationFailedError,
    UserBus,
)
from acme_sales.business.types import Email
from acme_sales.foundation.keyfolder import KeyFolder
from acme_sales.foundation.keystore import KeyNotFoundError, KeyStore

TOKEN_PATH = "/v1/auth/token/{kid:str}"  # noqa: S105  (a route, not a secret)
AUTHENTICATE_PATH = "/v1/auth/authenticate"
AUTHORIZE_PATH = "/v1/auth/authorize"
JWKS_PATH = "/v1/auth/jwks"

# How long a client may cache the JWKS. Short, because verifiers follow the key folder through
# it: a key added to the folder is listed here within a rescan interval, and a verifier holding
# a cached copy still sees a token signed with the new key as unknown until its copy expires
# (unless it refetches on an unknown kid). A minute keeps that delay small while a busy
# verifier still fetches once a minute, not once a request.
JWKS_MAX_AGE: Final = 60

_BAD_CREDENTIALS = "invalid email or password"

RateUnit = Literal["second", "minute", "hour", "day"]


class Token(msgspec.Struct, frozen=True):
    token: str


class JWK(msgspec.Struct, frozen=True):
    """One public RSA signing key (RFC 7517, 7518): the modulus and exponent, base64url."""

    kty: str
    kid: str
    use: str
    alg: str
    n: str
    e: str


class JWKS(msgspec.Struct, frozen=True):
    keys: list[JWK]


def jwks(keys: KeyStore) -> JWKS:
    """The public half of every key in `keys`, in kid order.

    Only `n` and `e` are copied from each key: no private part can reach the document.
    """
    found = []
    for kid in keys.kids():
        public = RSAAlgorithm.to_jwk(keys.public_key(kid), as_dict=True)
        found.append(
            JWK(kty="RSA", kid=kid, use="sig", alg="RS256", n=str(public["n"]), e=str(public["e"]))
        )
    return JWKS(keys=found)


class TokenRateLimit(RateLimitMiddleware):
    """Litestar's per-address limiter, whose 429 also says when to retry (Retry-After,
    RFC 9110), the header clients and proxies know, beside the draft RateLimit-* ones.

    The refusal is Litestar's TooManyRequestsException, which the service's exception handlers
    answer in the error model with the exception's headers. Its in-memory store keeps one entry
    per address; entries past their window are dropped every minute, so a stream of ever new
    addresses cannot grow it for good.
    """

    _PURGE_EVERY: Final = 60.0

    def __init__(self, app: Any, config: RateLimitConfig) -> None:
        super().__init__(app, config)
        self._next_purge = time.monotonic() + self._PURGE_EVERY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._purge(scope)
        try:
            await super().__call__(scope, receive, send)
        except TooManyRequestsException as err:
            headers = dict(err.headers or {})
            reset = headers.get(self.config.rate_limit_reset_header_key, "1")
            headers.setdefault("Retry-After", str(max(1, int(reset))))
            err.headers = headers
            raise

    async def _purge(self, scope: Scope) -> None:
        now = time.monotonic()
        if now < self._next_purge:
            return
        self._next_purge = now + self._PURGE_EVERY
        store = self.config.get_store_from_app(scope["litestar_app"])
        if isinstance(store, MemoryStore):
            await store.delete_expired()


def token_rate_limit(rate: tuple[RateUnit, int] | None) -> list[Any]:
    """The middleware of the token route: `rate` (unit, count) per client address, or none."""
    if rate is None:
        return []
    config = RateLimitConfig(
        rate_limit=rate, middleware_class=TokenRateLimit, store="auth_token_rate"
    )
    return [config.middleware]


def routes(
    *,
    auth: Auth,
    tokens: TokenService,
    users: UserBus,
    keys: KeyFolder,
    token_rate: tuple[RateUnit, int] | None = None,
) -> Router:
    """The auth routes; `token_rate` (unit, count) limits token requests per client address."""

    @get(
        TOKEN_PATH,
        summary="A token for Basic email:password credentials",
        middleware=token_rate_limit(token_rate),
    )
    async def token(request: Request[Any, Any, Any], kid: FromPath[str]) -> Token:
        email, password = basic_credentials(request.headers.get("authorization"))
        try:
            user = await users.authenticate(Email.parse(email), password)
        except (ValueError, AuthenticationFailedError) as err:
            raise errs.Error(errs.ErrCode.UNAUTHENTICATED, _BAD_CREDENTIALS) from err
        try:
            signed = tokens.generate(
                kid,
                user.id,
                [str(role) for role in user.roles],
                credentials=user.credentials_version,
            )
        except KeyNotFoundError as err:
            raise errs.Error(
                errs.ErrCode.NOT_FOUND, "unknown key id", fields=[errs.FieldError("kid", str(err))]
            ) from err
        return Token(token=signed)

    @get(AUTHENTICATE_PATH, summary="Who holds this Bearer token")
    async def authenticate(request: Request[Any, Any, Any]) -> AuthInfo:
        try:
            return await auth.authenticate(request.headers.get("authorization", ""))
        except AuthenticationError as err:
            raise errs.Error(errs.ErrCode.UNAUTHENTICATED, str(err)) from err

    @post(AUTHORIZE_PATH, status_code=204, summary="May these claims apply a rule to a user")
    async def authorize(data: JSONBody[AuthorizeRequest]) -> None:
        try:
            await auth.authorize(data.claims, data.user_id, data.rule)
        except AuthorizationError as err:
            raise errs.Error(errs.ErrCode.PERMISSION_DENIED, str(err)) from err

    @get(
        JWKS_PATH,
        summary="The public keys that verify this service's tokens (JWKS)",
        cache_control=CacheControlHeader(max_age=JWKS_MAX_AGE),
    )
    async def jwks_document() -> JWKS:
        keys.refresh()  # at most one rescan per interval: a key added since is listed
        return jwks(keys.keys)

    return Router(
        path="/", route_handlers=[token, authenticate, authorize, jwks_document], tags=["auth"]
    )


def basic_credentials(header: str | None) -> tuple[str, str]:
    """The email and password of a `Basic base64(email:password)` header, or a 401."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise errs.Error(
            errs.ErrCode.UNAUTHENTICATED, "expected Basic credentials in the authorization header"
        )
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as err:
        raise errs.Error(errs.ErrCode.UNAUTHENTICATED, "malformed Basic credentials") from err
    email, separator, password = decoded.partition(":")
    if not separator:
        raise errs.Error(errs.ErrCode.UNAUTHENTICATED, "malformed Basic credentials")
    return email, password
