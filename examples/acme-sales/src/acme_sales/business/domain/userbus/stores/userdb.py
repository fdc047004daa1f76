"""UserStorer on Postgres: the `users` table through asyncpg."""

from collections.abc import Iterator, Mapping
from contextlib import AbstractAsyncContextManager, contextmanager
from datetime import datetime
from typing import Final, NamedTuple
from uuid import UUID

import asyncpg

from acme_sales.business.domain.userbus import changes, order
from acme_sales.business.domain.userbus.bus import (
    DuplicateEmailError,
    UserInUseError,
    UserNotFoundError,
)
from acme_sales.business.domain.userbus.filter import UserFilter
from acme_sales.business.domain.userbus.model import User
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import Email, Name, Role
from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb.params import Params, contains, where

# Postgres's names for the uniqueness of users.email: as typed, and whatever the case of its
# letters (the unique index on lower(email), migration 0003).
_EMAIL_UNIQUE: Final = frozenset({"users_email_key", "users_email_lower_key"})

_INSERT: Final = """
INSERT INTO users
    (user_id, name, email, roles, password_hash, department, enabled, date_created, date_updated)
VALUES
    ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""

_UPDATE: Final = """
UPDATE users
SET name = $2, email = $3, roles = $4, password_hash = $5, department = $6, enabled = $7,
    date_updated = $8
WHERE user_id = $1
"""

_DELETE: Final = "DELETE FROM users WHERE user_id = $1"
_LOCK: Final = "SELECT user_id FROM users WHERE user_id = $1 FOR UPDATE"
_NOTIFY: Final = "SELECT pg_notify($1, $2)"

_SELECT: Final = """
SELECT user_id, name, email, roles, password_hash, department, enabled, date_created, date_updated
FROM users
"""

_SELECT_BY_ID: Final = _SELECT + "WHERE user_id = $1"

_SELECT_BY_EMAIL: Final = _SELECT + "WHERE lower(email) = lower($1)"  # users_email_lower_key

_COUNT: Final = "SELECT count(*) FROM users\n"

_LOCK_ENABLED_ADMINS: Final = """
SELECT user_id FROM users WHERE enabled AND 'ADMIN' = ANY(roles) ORDER BY user_id FOR UPDATE
"""

# The business's order fields and their columns: the only text an ORDER BY is built from.
_ORDER_COLUMNS: Final[Mapping[str, str]] = {
    order.ID: "user_id",
    order.NAME: "name",
    order.EMAIL: "email",
    order.ROLES: "roles",
    order.ENABLED: "enabled",
    order.CREATED: "date_created",
}


class UserDB:
    """Users in Postgres, through any Querier: the pool, or a connection inside a transaction."""

    def __init__(self, db: sqldb.Querier) -> None:
        self._db = db

    def with_querier(self, db: sqldb.Querier) -> "UserDB":
        return UserDB(db)

    def transaction(self) -> AbstractAsyncContextManager[sqldb.Querier]:
        return sqldb.transaction(self._db)

    async def create(self, user: User) -> None:
        with _email_must_be_unique():
            await sqldb.execute(self._db, _INSERT, *to_db_user(user))

    async def update(self, user: User) -> None:
        row = to_db_user(user)
        with _email_must_be_unique():
            status = await sqldb.execute(
                self._db,
                _UPDATE,
                row.user_id,
                row.name,
                row.email,
                row.roles,
                row.password_hash,
                row.department,
                row.enabled,
                row.date_updated,
            )
        if status == "UPDATE 0":
            raise UserNotFoundError
        await self._announce(user)

    async def delete(self, user: User) -> None:
        try:
            status = await sqldb.execute(self._db, _DELETE, user.id)
        except sqldb.ForeignKeyViolationError as err:
            raise UserInUseError(err.table) from None
        if status == "DELETE 0":
            raise UserNotFoundError
        await self._announce(user)

    async def _announce(self, user: User) -> None:
        """Tell every process keeping user state, once (and only if) this change commits."""
        await sqldb.execute(self._db, _NOTIFY, changes.CHANNEL, str(user.id))

    async def query(self, query_filter: UserFilter, order_by: OrderBy, page: Page) -> list[User]:
        params = Params()
        where = _where(query_filter, params)
        # user_id breaks ties, so rows with equal sort keys keep one order from page to page.
        sql = (
            f"{_SELECT}{where}"
            f"ORDER BY {_order_column(order_by)} {order_by.direction}, user_id\n"
            f"LIMIT {params.bind(page.rows)} OFFSET {params.bind(page.offset)}"
        )
        rows = await sqldb.fetch_all(self._db, sql, *params.values)
        return [to_bus_user(row) for row in rows]

    async def lock(self, user_id: UUID) -> None:
        # A row that references the user takes a share lock on it (its foreign key's check):
        # held until this transaction ends, no such row can be added by another meanwhile.
        if await sqldb.fetch_all(self._db, _LOCK, user_id) == []:
            raise UserNotFoundError

    async def lock_enabled_admins(self) -> list[UUID]:
        # In id order, so two transactions lock them in the same order and cannot deadlock;
        # a row another transaction changed meanwhile is read again as committed.
        return [row[0] for row in await sqldb.fetch_all(self._db, _LOCK_ENABLED_ADMINS)]

    async def count(self, query_filter: UserFilter) -> int:
        params = Params()
        sql = _COUNT + _where(query_filter, params)
        row = await sqldb.fetch_one(self._db, sql, *params.values)
        count: int = row[0]
        return count

    async def query_by_id(self, user_id: UUID) -> User:
        return await self._query_one(_SELECT_BY_ID, user_id)

    async def query_by_email(self, email: Email) -> User:
        return await self._query_one(_SELECT_BY_EMAIL, str(email))

    async def _query_one(self, sql: str, *args: object) -> User:
        try:
            row = await sqldb.fetch_one(self._db, sql, *args)
        except sqldb.NotFoundError:
            raise UserNotFoundError from None
        return to_bus_user(row)


class UserRow(NamedTuple):
    """A users row as asyncpg sends and receives it; fields in column order."""

    user_id: UUID
    name: str
    email: str
    roles: list[str]
    password_hash: str
    department: str | None
    enabled: bool
    date_created: datetime
    date_updated: datetime


def to_db_user(user: User) -> UserRow:
    return UserRow(
        user_id=user.id,
        name=str(user.name),
        email=str(user.email),
        roles=[str(role) for role in user.roles],
        password_hash=user.password_hash.decode("ascii"),  # bcrypt hashes are ASCII
        department=None if user.department is None else str(user.department),
        enabled=user.enabled,
        date_created=user.date_created,
        date_updated=user.date_updated,
    )


def to_bus_user(row: asyncpg.Record) -> User:
    # Stored values go through the same parsers as input: a row edited by hand into something
    # the rules forbid fails here, loudly, instead of travelling on as a valid User.
    department = row["department"]
    return User(
        id=row["user_id"],
        name=Name.parse(row["name"]),
        email=Email.parse(row["email"]),
        roles=Role.parse_many(row["roles"]),
        password_hash=row["password_hash"].encode("ascii"),
        department=None if department is None else Name.parse(department),
        enabled=row["enabled"],
        date_created=row["date_created"],
        date_updated=row["date_updated"],
    )


def _where(query_filter: UserFilter, params: Params) -> str:
    """The WHERE clause (or nothing) for the filter; values are bound, never spliced in."""
    conditions: list[str] = []
    if query_filter.id is not None:
        conditions.append(f"user_id = {params.bind(query_filter.id)}")
    if query_filter.name is not None:
        conditions.append(f"name ILIKE {params.bind(contains(query_filter.name))}")
    if query_filter.email is not None:
        conditions.append(f"lower(email) = lower({params.bind(str(query_filter.email))})")
    if query_filter.start_created_date is not None:
        conditions.append(f"date_created >= {params.bind(query_filter.start_created_date)}")
    if query_filter.end_created_date is not None:
        conditions.append(f"date_created <= {params.bind(query_filter.end_created_date)}")
    return where(conditions)


def _order_column(order_by: OrderBy) -> str:
    try:
        return _ORDER_COLUMNS[order_by.field]
    except KeyError:
        # The app layer parses order fields against userbus.order.FIELDS: this is a bug.
        raise ValueError(f"users cannot be ordered by {order_by.field!r}") from None


@contextmanager
def _email_must_be_unique() -> Iterator[None]:
    try:
        yield
    except sqldb.DuplicateEntryError as err:
        if err.constraint not in _EMAIL_UNIQUE:
            raise
        raise DuplicateEmailError from err
