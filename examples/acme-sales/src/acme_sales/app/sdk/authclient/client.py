"""The contract between a service and the auth service, whatever carries it."""

from typing import Protocol
from uuid import UUID

import msgspec

from acme_sales.app.sdk.auth.auth import AuthInfo
from acme_sales.app.sdk.auth.claims import Claims, Rule


class AuthorizeRequest(msgspec.Struct, frozen=True, rename="camel"):
    """May the holder of `claims` apply `rule` to the user `user_id`?"""

    user_id: UUID
    claims: Claims
    rule: Rule


class AuthClient(Protocol):
    async def authenticate(self, authorization: str) -> AuthInfo:
        """Who sent this Authorization header; raises errs.Error (401) when nobody valid."""
        ...

    async def authorize(self, info: AuthInfo, user_id: UUID, rule: Rule) -> None:
        """Return when `rule` allows the caller to act on `user_id`; raises errs.Error (403)."""
        ...
