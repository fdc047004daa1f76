"""Limits on token requests: per client address, and per account the request names.

Each token request costs a bcrypt check, and each is a guess at a password. The address limit
keeps one client from tying the workers up; the account limit keeps guesses at one account
slow however many addresses they come from. Both are Litestar's rate-limit middleware with an
in-memory store, so both count per worker process.
"""

import time
from typing import Any, Final, Literal

from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.stores.memory import MemoryStore
from litestar.types import Receive, Scope, Send

from acme_sales.app.domain.authapp.credentials import basic_email

RateUnit = Literal["second", "minute", "hour", "day"]
Rate = tuple[RateUnit, int]


class AddressLimit(RateLimitMiddleware):
    """Litestar's per-address limiter, whose 429 also says when to retry (Retry-After,
    RFC 9110), the header clients and proxies know, beside the draft RateLimit-* ones.

    The refusal is Litestar's TooManyRequestsException, which the service's exception handlers
    answer in the error model with the exception's headers. Its in-memory store keeps one entry
    per key; entries past their window are dropped every minute, so a stream of ever new
    addresses (or accounts) cannot grow it for good.
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


class AccountLimit(AddressLimit):
    """The same limiter keyed by the account a request names: the Basic email, case-folded so
    that `Ann@` and `ann@` share one count. Whether the account exists changes nothing (the
    key is the text asked for), so a 429 tells an attacker no more than a 401 does. A request
    naming no account is left to the address limit and its 401.
    """

    async def should_check_request(self, request: Request[Any, Any, Any]) -> bool:
        return account_key(request) != "" and await super().should_check_request(request)


def account_key(request: Request[Any, Any, Any]) -> str:
    """The account a token request names, case-folded; empty when it names none."""
    return (basic_email(request.headers.get("authorization")) or "").casefold()


def token_limits(*, per_address: Rate | None, per_account: Rate | None) -> list[Any]:
    """The middleware of the token route: each rate as (unit, count), None for no limit."""
    limits = []
    if per_address is not None:
        limits.append(
            RateLimitConfig(
                rate_limit=per_address, middleware_class=AddressLimit, store="auth_address_rate"
            ).middleware
        )
    if per_account is not None:
        limits.append(
            RateLimitConfig(
                rate_limit=per_account,
                middleware_class=AccountLimit,
                identifier_for_request=account_key,
                store="auth_account_rate",
            ).middleware
        )
    return limits
