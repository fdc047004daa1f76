"""Authentication (who holds this token) and authorization (may they do this), for the auth service.

`authenticate` takes the Authorization header, verifies its Bearer token and checks the user still
exists and is enabled (a token outlives a user being disabled; this closes that gap). `authorize`
asks the policy engine whether a rule lets the caller act on a user. Failures raise
AuthenticationError (HTTP 401) or AuthorizationError (HTTP 403), each with a reason for the
client. Nothing here logs a token.
"""

from typing import Protocol
from uuid import UUID

import msgspec

from acme_sales.app.sdk import metrics
from acme_sales.app.sdk.auth.claims import Claims, Rule
from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.tokens import InvalidTokenError, TokenService

_BEARER = "bearer"


class UserLookup(Protocol):
    """What authentication needs of the users: does this one exist and may it sign in."""

    async def enabled(self, user_id: UUID) -> bool:
        """True when the user exists and is enabled."""
        ...


class AuthInfo(msgspec.Struct, frozen=True, rename="camel"):
    """The authenticated caller."""

    user_id: UUID
    claims: Claims


class AuthenticationError(Exception):
    """The caller could not be identified; `reason` is fit for the client."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class AuthorizationError(Exception):
    """The caller may not do this; `reason` is fit for the client."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Auth:
    """Authenticates Bearer tokens and authorizes by rule."""

    def __init__(self, *, tokens: TokenService, policy: PolicyEngine, users: UserLookup) -> None:
        self.tokens = tokens
        self.policy = policy
        self.users = users

    async def authenticate(self, authorization_header: str) -> AuthInfo:
        """The caller named by `Bearer <token>`; raises AuthenticationError."""
        try:
            info = await self._authenticate(authorization_header)
        except AuthenticationError:
            metrics.AUTH_DECISIONS.labels("authenticate", "denied").inc()
            raise
        metrics.AUTH_DECISIONS.labels("authenticate", "allowed").inc()
        return info

    async def _authenticate(self, authorization_header: str) -> AuthInfo:
        scheme, _, token = authorization_header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != _BEARER or not token:
            raise AuthenticationError("expected authorization header format: Bearer <token>")
        try:
            claims = self.tokens.verify(token)
        except InvalidTokenError as err:
            raise AuthenticationError(err.reason) from None
        user_id = UUID(claims.sub)  # verify() has checked it is a UUID
        if not await self.users.enabled(user_id):
            raise AuthenticationError("user unknown or disabled")
        return AuthInfo(user_id=user_id, claims=claims)

    def authorize(self, claims: Claims, user_id: UUID | None, rule: Rule) -> None:
        """Return when `rule` lets the holder of `claims` act on user `user_id`, else raise
        AuthorizationError. `user_id` None: the action targets no user in particular."""
        target = "" if user_id is None else str(user_id)
        allowed = self.policy.allowed(rule, claims.roles, subject=claims.sub, user_id=target)
        metrics.AUTH_DECISIONS.labels(rule.value, "allowed" if allowed else "denied").inc()
        if not allowed:
            raise AuthorizationError(f"not authorized: {rule.value} does not allow this")
