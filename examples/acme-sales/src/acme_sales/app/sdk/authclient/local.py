"""The auth client that decides in this process: no call to the auth service per request.

Tokens are verified with the auth service's public keys (its JWKS document, see jwks.py), each
once per worker; the user's current state comes from a per-worker cache that Postgres
notifications keep fresh (app/sdk/auth/users.py); the policies run compiled, in process. The
decisions are the auth service's own (the same Auth class decides there), so the two modes
answer alike: the API tests run against both.
"""

from uuid import UUID

from acme_sales.app.sdk import errs
from acme_sales.app.sdk.auth.auth import (
    Auth,
    AuthenticationError,
    AuthInfo,
    AuthorizationError,
)
from acme_sales.app.sdk.auth.claims import Rule


class LocalAuthClient:
    def __init__(self, auth: Auth) -> None:
        self.auth = auth

    async def authenticate(self, authorization: str) -> AuthInfo:
        try:
            return await self.auth.authenticate(authorization)
        except AuthenticationError as err:
            raise errs.Error(errs.ErrCode.UNAUTHENTICATED, err.reason) from None

    async def authorize(self, info: AuthInfo, user_id: UUID, rule: Rule) -> None:
        try:
            await self.auth.authorize(info.claims, user_id, rule)
        except AuthorizationError as err:
            raise errs.Error(errs.ErrCode.PERMISSION_DENIED, err.reason) from None
