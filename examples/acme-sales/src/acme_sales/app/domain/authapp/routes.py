"""The auth service's routes.

- GET  /v1/auth/token/{kid}    Basic email:password -> a token signed with key `kid`
- GET  /v1/auth/authenticate   Bearer token -> the user id and claims (401 when invalid)
- POST /v1/auth/authorize      claims, target user id and rule -> 204, or 403
"""

import base64
import binascii
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Router, get, post
from litestar.params import FromPath, JSONBody

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
    UserNotFoundError,
)
from acme_sales.business.types import Email
from acme_sales.foundation.keystore import KeyNotFoundError

TOKEN_PATH = "/v1/auth/token/{kid:str}"  # noqa: S105  (a route, not a secret)
AUTHENTICATE_PATH = "/v1/auth/authenticate"
AUTHORIZE_PATH = "/v1/auth/authorize"

_BAD_CREDENTIALS = "invalid email or password"


class Token(msgspec.Struct, frozen=True):
    token: str


class EnabledUsers:
    """What Auth needs to know of users: does this one exist and may it sign in."""

    def __init__(self, users: UserBus) -> None:
        self.users = users

    async def enabled(self, user_id: UUID) -> bool:
        try:
            user = await self.users.query_by_id(user_id)
        except UserNotFoundError:
            return False
        return user.enabled


def routes(*, auth: Auth, tokens: TokenService, users: UserBus) -> Router:
    @get(TOKEN_PATH, summary="A token for Basic email:password credentials")
    async def token(request: Request[Any, Any, Any], kid: FromPath[str]) -> Token:
        email, password = basic_credentials(request.headers.get("authorization"))
        try:
            user = await users.authenticate(Email.parse(email), password)
        except (ValueError, AuthenticationFailedError) as err:
            raise errs.Error(errs.ErrCode.UNAUTHENTICATED, _BAD_CREDENTIALS) from err
        try:
            signed = tokens.generate(kid, user.id, [str(role) for role in user.roles])
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
            auth.authorize(data.claims, data.user_id, data.rule)
        except AuthorizationError as err:
            raise errs.Error(errs.ErrCode.PERMISSION_DENIED, str(err)) from err

    return Router(path="/", route_handlers=[token, authenticate, authorize], tags=["auth"])


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
