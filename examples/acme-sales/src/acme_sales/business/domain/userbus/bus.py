"""The user rules: hashing passwords, stamping times, authenticating. Storage is a UserStorer.

Every change (create, update, delete) runs in one transaction with what goes with it: its audit
row when the bus has an AuditBus, and the handlers of user/deleted when it has a Delegate. So a
change is never committed without its audit row, nor an audit row without its change (the
reference wrote audit rows outside the change's transaction).
"""

import asyncio
import dataclasses
import functools
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from typing import Final, Protocol
from uuid import UUID, uuid4

import bcrypt

from acme_sales.business.domain.auditbus import Action, AuditBus, JSONObject, NewAudit
from acme_sales.business.domain.userbus import event
from acme_sales.business.domain.userbus.audit import created_data, updated_data
from acme_sales.business.domain.userbus.filter import UserFilter
from acme_sales.business.domain.userbus.model import NewUser, UpdateUser, User
from acme_sales.business.sdk.delegate import Delegate
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.sdk.unchanged import UNCHANGED, resolve
from acme_sales.business.types import Email, Password, Role
from acme_sales.foundation import otel, sqldb

# About 0.3 s of one core per hash or check on current hardware: slow for a password guesser,
# bearable for a person signing in.
DEFAULT_BCRYPT_COST: Final = 12

_BCRYPT_MAX_BYTES: Final = 72
_BCRYPT_HASH: Final = re.compile(rb"\$2[abxy]\$(?P<cost>[0-9]{2})\$[./A-Za-z0-9]{53}")

# A hash at DEFAULT_BCRYPT_COST of a random secret nobody kept: what an unknown email's password
# is checked against, so that sign-in costs one full bcrypt check whether the email exists or
# not. Fixed here rather than made on first need, so even the first unknown email of a process
# costs one check, not a hash and a check. Nothing can match it, and nothing depends on whether
# it matches: an unknown email fails whatever the check says.
UNMATCHABLE_HASH: Final = b"$2b$12$trQGR3I49Sx7UKZIcEzXT.pa22YyGVpU7N4yoNMKGazOOKc3syHdi"


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


class UserInUseError(Exception):
    """The user is still referenced by a row of a domain that refuses their deletion (a
    reference field with the default `on_delete: restrict`)."""

    def __init__(self, table: str) -> None:
        super().__init__(f"user is still referenced by {table}")


class LastAdminError(Exception):
    """The change would leave no enabled admin: nobody could manage users any more."""

    def __init__(self) -> None:
        super().__init__("the last enabled admin cannot be demoted, disabled or deleted")


class UserStorer(Protocol):
    """Where users are kept. Raises UserNotFoundError and DuplicateEmailError as documented."""

    def with_querier(self, db: sqldb.Querier) -> "UserStorer":
        """The same store, running its queries through `db` (a connection in a transaction)."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[sqldb.Querier]:
        """A transaction on this store's database for the block, yielding its querier.

        A savepoint when the store already runs inside a transaction (see sqldb.transaction).
        """
        ...

    async def create(self, user: User) -> None:
        """Store a new user (DuplicateEmailError when the email is taken)."""

    async def update(self, user: User) -> None:
        """Replace the stored user with this id (UserNotFoundError, DuplicateEmailError)."""

    async def delete(self, user: User) -> None:
        """Remove the user with this id (UserNotFoundError when there is none)."""
        ...

    async def lock(self, user_id: UUID) -> None:
        """Lock the user's row until the transaction ends (UserNotFoundError when there is
        none): a row referencing it cannot be added meanwhile."""

    async def query(self, query_filter: UserFilter, order_by: OrderBy, page: Page) -> list[User]:
        """One page of the users that match, in this order."""

    async def count(self, query_filter: UserFilter) -> int:
        """How many users match, across all pages."""

    async def query_by_id(self, user_id: UUID) -> User:
        """The user with this id (UserNotFoundError when there is none)."""

    async def query_by_email(self, email: Email) -> User:
        """The user with this email (UserNotFoundError when there is none)."""

    async def lock_enabled_admins(self) -> list[UUID]:
        """The ids of the enabled admins, each locked until the transaction ends, so that two
        changes that each remove one admin are decided one after the other."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@otel.traced("userbus")
class UserBus:
    """The user domain's business API; app handlers and tools hold one of these."""

    def __init__(
        self,
        storer: UserStorer,
        *,
        audit: AuditBus | None = None,
        delegate: Delegate | None = None,
        bcrypt_cost: int = DEFAULT_BCRYPT_COST,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """`audit`: where each change's audit row goes (none written without it).
        `delegate`: whose handlers hear of deleted users (the same one for every copy)."""
        self._storer = storer
        self._audit = audit
        self._delegate = delegate
        self._bcrypt_cost = bcrypt_cost
        self._clock = clock

    def with_querier(self, db: sqldb.Querier) -> "UserBus":
        """This bus with its store and its audit running through `db`, such as the connection
        of a transaction shared with other domains (see business.sdk.tx)."""
        return UserBus(
            self._storer.with_querier(db),
            audit=None if self._audit is None else self._audit.with_querier(db),
            delegate=self._delegate,
            bcrypt_cost=self._bcrypt_cost,
            clock=self._clock,
        )

    async def create(self, nu: NewUser, *, actor_id: UUID | None) -> User:
        """Store a new, enabled user (DuplicateEmailError when the email is taken).

        `actor_id` is who is creating it, for the audit; None for a system action.
        """
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
        async with self._change() as (bus, _):
            await bus._storer.create(user)
            await bus._record(user, Action.CREATED, actor_id, created_data(user))
        return user

    async def update(self, user: User, uu: UpdateUser, *, actor_id: UUID | None) -> User:
        """Apply the fields `uu` gives; return the user as now stored.

        `actor_id` is who is changing it, for the audit; None for a system action.
        """
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
        async with self._change() as (bus, _):
            if _enabled_admin(user) and not _enabled_admin(updated):
                await bus._keep_an_admin_besides(user.id)
            await bus._storer.update(updated)
            await bus._record(updated, Action.UPDATED, actor_id, updated_data(uu))
        return updated

    async def delete(self, user: User, *, actor_id: UUID | None) -> None:
        """Remove the user, in one transaction with everything that goes with them.

        With the user's row locked, user/deleting runs first: the domains delete the rows the
        database would delete with the user, each with its audit row. Then the user goes, with
        theirs (their last data), and user/deleted runs. A handler that raises rolls it all back.

        `actor_id` is who is deleting it, for the audit; None for a system action.
        """
        async with self._change() as (bus, db):
            if _enabled_admin(user):
                await bus._keep_an_admin_besides(user.id)
            await bus._storer.lock(user.id)
            if self._delegate is not None:
                await self._delegate.call(event.deleting_event(user.id, actor_id, db))
            await bus._storer.delete(user)
            await bus._record(user, Action.DELETED, actor_id, created_data(user))
            if self._delegate is not None:
                await self._delegate.call(event.deleted_event(user.id, db))

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

    async def _keep_an_admin_besides(self, user_id: UUID) -> None:
        """LastAdminError when `user_id` is the only enabled admin as stored now (inside the
        change's transaction: the admins stay locked until it ends)."""
        admins = await self._storer.lock_enabled_admins()
        if admins == [user_id]:
            raise LastAdminError

    @asynccontextmanager
    async def _change(self) -> AsyncIterator[tuple["UserBus", sqldb.Querier]]:
        """One transaction for a change and what goes with it: this bus moved into it, and
        its querier. Password hashing happens before, so no connection waits on bcrypt."""
        async with self._storer.transaction() as db:
            yield self.with_querier(db), db

    async def _record(
        self, user: User, action: Action, actor_id: UUID | None, data: JSONObject | None
    ) -> None:
        if self._audit is None:
            return
        await self._audit.create(
            NewAudit(
                obj_id=user.id,
                obj_domain=event.DOMAIN,
                obj_name=str(user.name),
                actor_id=actor_id,
                action=action,
                data=data,
                message=f"user {action}",
            )
        )

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


def hash_cost(password_hash: bytes) -> int:
    """The cost factor of a bcrypt hash (`$2b$12$...` -> 12); ValueError if it is not one."""
    match = _BCRYPT_HASH.fullmatch(password_hash)
    if match is None:
        raise ValueError("not a bcrypt hash")
    return int(match["cost"])


@functools.cache
def _unmatchable_hash(cost: int) -> bytes:
    """A hash at `cost` of a random secret: checking against it costs what a real check does.

    UNMATCHABLE_HASH at the default cost; at another cost (tests hash at the lowest), made once
    per process on first need, and shared by every UserBus.
    """
    if cost == DEFAULT_BCRYPT_COST:
        return UNMATCHABLE_HASH
    return bcrypt.hashpw(secrets.token_hex(32).encode(), bcrypt.gensalt(cost))


def _enabled_admin(user: User) -> bool:
    return user.enabled and Role.ADMIN in user.roles
