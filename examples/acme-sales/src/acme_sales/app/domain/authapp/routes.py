"""The auth service's routes.

- GET  /v1/auth/token/{kid}    Basic email:password -> a token signed with key `kid`
                               (rate limited per client address and per account named:
                               429 with Retry-After)
- GET  /v1/auth/authenticate   Bearer token -> the user id and claims (401 when invalid)
- POST /v1/auth/authorize      claims, target user id and rule -> 204, or 403
- GET  /v1/auth/jwks           the public signing keys, a JWKS (RFC 7517) for verifiers
"""

from typing import Any, Final

import msgspec
from jwt.algorithms import RSAAlgorithm
from litestar import Request, Router, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody

from acme_sales.app.domain.authapp.credentials import CredentialsError, parse_basic
from acme_sales.app.domain.authapp.limits import Rate, token_limits
from acme_sales.app.sdk import apidoc, errs
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


def routes(
    *,
    auth: Auth,
    tokens: TokenService,
    users: UserBus,
    keys: KeyFolder,
    address_rate: Rate | None = None,
    account_rate: Rate | None = None,
) -> Router:
    """The auth routes; token requests are limited to `address_rate` per client address and
    `account_rate` per account named (each (unit, count), None for no limit)."""

    @get(
        TOKEN_PATH,
        summary="A token for Basic email:password credentials",
        middleware=token_limits(per_address=address_rate, per_account=account_rate),
        security=apidoc.BASIC,
        responses=apidoc.errors(400, 401, 404, 429),
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

    @get(
        AUTHENTICATE_PATH,
        summary="Who holds this Bearer token",
        security=apidoc.BEARER,
        responses=apidoc.errors(401),
    )
    async def authenticate(request: Request[Any, Any, Any]) -> AuthInfo:
        try:
            return await auth.authenticate(request.headers.get("authorization", ""))
        except AuthenticationError as err:
            raise errs.Error(errs.ErrCode.UNAUTHENTICATED, str(err)) from err

    @post(
        AUTHORIZE_PATH,
        status_code=204,
        summary="May these claims apply a rule to a user",
        responses=apidoc.errors(400, 403),
    )
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
    try:
        return parse_basic(header)
    except CredentialsError as err:
        raise errs.Error(errs.ErrCode.UNAUTHENTICATED, str(err)) from err
