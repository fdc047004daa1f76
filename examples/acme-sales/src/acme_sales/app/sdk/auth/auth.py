"""Authentication (who holds this token) and authorization (may they do this).

The auth service decides with this, and so does the sales service in local mode (see
app/sdk/authclient/local.py). `authenticate` takes the Authorization header, verifies its Bearer
token and checks the user as they are now: still there, enabled, with the password the token was
issued for (a token outlives all three; this closes those gaps). `authorize` asks the policy
engine whether a rule lets the caller, with the roles they have now (not the token's), act on a
user. Failures raise AuthenticationError (HTTP 401) or AuthorizationError (HTTP 403), each with a
reason for the client. Nothing here logs a token.
"""

from typing import Protocol
from uuid import UUID

import msgspec

from acme_sales.app.sdk import metrics
from acme_sales.app.sdk.auth.claims import Claims, Rule
from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.tokens import InvalidTokenError
from acme_sales.app.sdk.auth.users import UserState

_BEARER = "bearer"


class Verifier(Protocol):
    async def verify(self, token: str) -> Claims:
        """The token's claims if it is valid now; else InvalidTokenError (see verifier.py)."""
        ...


class Users(Protocol):
    async def get(self, user_id: UUID) -> UserState | None:
        """The user's current state; None when there is no such user (see users.py)."""
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
    """Authenticates Bearer tokens and authorizes by rule, against users' current state."""

    def __init__(self, *, tokens: Verifier, policy: PolicyEngine, users: Users) -> None:
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
            claims = await self.tokens.verify(token)
        except InvalidTokenError as err:
            raise AuthenticationError(err.reason) from None
        user_id = UUID(claims.sub)  # verify() has checked it is a UUID
        user = await self.users.get(user_id)
        if user is None or not user.enabled:
            raise AuthenticationError("user unknown or disabled")
        if claims.cv != user.credentials_version:
            raise AuthenticationError("token revoked: the password changed since it was issued")
        return AuthInfo(user_id=user_id, claims=claims)

    async def authorize(self, claims: Claims, user_id: UUID | None, rule: Rule) -> None:
        """Return when `rule` lets the holder of `claims`, with their current roles, act on user
        `user_id`, else raise AuthorizationError. `user_id` None: the action targets no user in
        particular."""
        caller = await self._user(claims.sub)
        roles = caller.roles if caller is not None and caller.enabled else ()
        target = "" if user_id is None else str(user_id)
        allowed = self.policy.allowed(rule, roles, subject=claims.sub, user_id=target)
        metrics.AUTH_DECISIONS.labels(rule.value, "allowed" if allowed else "denied").inc()
        if not allowed:
            raise AuthorizationError(f"not authorized: {rule.value} does not allow this")

    async def _user(self, subject: str) -> UserState | None:
        # Claims sent to the auth service's authorize route were checked by no one yet.
        try:
            user_id = UUID(subject)
        except ValueError:
            return None
        return await self.users.get(user_id)
