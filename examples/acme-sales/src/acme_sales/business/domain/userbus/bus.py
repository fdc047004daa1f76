"""The user rules: hashing passwords, stamping times, authenticating. Storage is a UserStorer."""

import asyncio
import dataclasses
import functools
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final, Protocol
from uuid import UUID, uuid4

import bcrypt

from acme_sales.business.domain.userbus.filter import UserFilter
from acme_sales.business.domain.userbus.model import NewUser, UpdateUser, User
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.sdk.unchanged import UNCHANGED, resolve
from acme_sales.business.types import Email, Password

# About 0.3 s of one core per hash or check on current hardware: slow for a password guesser,
# bearable for a person signing in.
DEFAULT_BCRYPT_COST: Final = 12

_BCRYPT_MAX_BYTES: Final = 72


class UserNotFoundError(Exception):
    def __init__(self) -> None:
        super().__init__("user not found")


class DuplicateEmailError(Exception):
    def __init__(self) -> None:
        super().__init__("email is not unique")


class AuthenticationFailedError(Exception):
    """The email and password do not name an enabled user; deliberately no more than that."""

    def __init__(self) -> None:
        super().__init__("authentication failed")


class UserStorer(Protocol):
    """Where users are kept. Raises UserNotFoundError and DuplicateEmailError as documented."""

    async def create(self, user: User) -> None:
        """Store a new user (DuplicateEmailError when the email is taken)."""

    async def update(self, user: User) -> None:
        """Replace the stored user with this id (UserNotFoundError, DuplicateEmailError)."""

    async def delete(self, user: User) -> None:
        """Remove the user with this id (UserNotFoundError when there is none)."""

    async def query(self, query_filter: UserFilter, order_by: OrderBy, page: Page) -> list[User]:
        """One page of the users that match, in this order."""

    async def count(self, query_filter: UserFilter) -> int:
        """How many users match, across all pages."""

    async def query_by_id(self, user_id: UUID) -> User:
        """The user with this id (UserNotFoundError when there is none)."""

    async def query_by_email(self, email: Email) -> User:
        """The user with this email (UserNotFoundError when there is none)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class UserBus:
    """The user domain's business API; app handlers and tools hold one of these."""

    def __init__(
        self,
        storer: UserStorer,
        *,
        bcrypt_cost: int = DEFAULT_BCRYPT_COST,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._storer = storer
        self._bcrypt_cost = bcrypt_cost
        self._clock = clock

    async def create(self, nu: NewUser) -> User:
        """Store a new, enabled user (DuplicateEmailError when the email is taken)."""
        now = self._clock()
        user = User(
            id=uuid4(),
            name=nu.name,
            email=nu.email,
            roles=nu.roles,
            password_hash=await self._hash(nu.password),
            department=nu.department,
            enabled=True,
            date_created=now,
            date_updated=now,
        )
        await self._storer.create(user)
        return user

    async def update(self, user: User, uu: UpdateUser) -> User:
        """Apply the fields `uu` gives; return the user as now stored."""
        password_hash = (
            user.password_hash if uu.password is UNCHANGED else await self._hash(uu.password)
        )
        updated = dataclasses.replace(
            user,
            name=resolve(uu.name, user.name),
            email=resolve(uu.email, user.email),
            roles=resolve(uu.roles, user.roles),
            department=resolve(uu.department, user.department),
            password_hash=password_hash,
            enabled=resolve(uu.enabled, user.enabled),
            date_updated=self._clock(),
        )
        await self._storer.update(updated)
        return updated

    async def delete(self, user: User) -> None:
        await self._storer.delete(user)

    async def query(self, query_filter: UserFilter, order_by: OrderBy, page: Page) -> list[User]:
        return await self._storer.query(query_filter, order_by, page)

    async def count(self, query_filter: UserFilter) -> int:
        return await self._storer.count(query_filter)

    async def query_by_id(self, user_id: UUID) -> User:
        return await self._storer.query_by_id(user_id)

    async def query_by_email(self, email: Email) -> User:
        return await self._storer.query_by_email(email)

    async def authenticate(self, email: Email, password: str) -> User:
        """The enabled user with this email and password, else AuthenticationFailedError.

        An unknown email, a wrong password and a disabled user fail alike, after the same bcrypt
        work, so neither the answer nor its timing tells a caller which emails have accounts.
        """
        try:
            user = await self._storer.query_by_email(email)
        except UserNotFoundError:
            await self._check_password(password, await self._unmatchable_hash())
            raise AuthenticationFailedError from None
        if not await self._check_password(password, user.password_hash) or not user.enabled:
            raise AuthenticationFailedError
        return user

    async def _hash(self, password: Password) -> bytes:
        # bcrypt is deliberately slow: a worker thread keeps the event loop serving others.
        salt = bcrypt.gensalt(self._bcrypt_cost)
        return await asyncio.to_thread(bcrypt.hashpw, password.value.encode(), salt)

    async def _check_password(self, password: str, password_hash: bytes) -> bool:
        # A lone surrogate cannot be in a stored password; encoding it anyway just fails the check.
        candidate = password.encode(errors="surrogatepass")
        if len(candidate) > _BCRYPT_MAX_BYTES:
            # bcrypt refuses these, and no stored password is this long. Spend the same time
            # on a check that cannot pass.
            await asyncio.to_thread(bcrypt.checkpw, b"", await self._unmatchable_hash())
            return False
        return await asyncio.to_thread(bcrypt.checkpw, candidate, password_hash)

    async def _unmatchable_hash(self) -> bytes:
        return await asyncio.to_thread(_unmatchable_hash, self._bcrypt_cost)


@functools.cache
def _unmatchable_hash(cost: int) -> bytes:
    """A hash at `cost` of a random secret: checking against it costs what a real check does.

    Made once per process and cost, on first need, and shared by every UserBus.
    """
    return bcrypt.hashpw(secrets.token_hex(32).encode(), bcrypt.gensalt(cost))
