"""What the Postgres store adds beyond the UserStorer contract the bus tests cover."""

from __future__ import annotations

import dataclasses

import asyncpg
import pytest

from acme_sales.business.domain.userbus import (
    DuplicateEmailError,
    UserFilter,
    UserNotFoundError,
)
from acme_sales.business.domain.userbus import order as user_order
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import ParseError
from acme_sales.foundation import sqldb
from tests.support.users import new_user, user_bus


@pytest.mark.parametrize("pattern", ["%", "_", "User_Aa", "\\", "User%"])
async def test_name_filter_takes_like_wildcards_literally(
    db_pool: asyncpg.Pool[asyncpg.Record], pattern: str
) -> None:
    bus = user_bus(db_pool)
    await bus.create(new_user(0), actor_id=None)  # "User Aa"

    assert await bus.query(UserFilter(name=pattern), user_order.DEFAULT, Page()) == []
    assert await bus.count(UserFilter(name=pattern)) == 0


async def test_ordering_by_a_field_without_a_column_is_a_programming_error(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    with pytest.raises(ValueError, match="users cannot be ordered by 'password_hash'"):
        await UserDB(db_pool).query(UserFilter(), OrderBy("password_hash"), Page())


async def test_the_store_works_inside_a_transaction_on_a_connection(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with db_pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        user = await user_bus(conn).create(new_user(0), actor_id=None)
        assert await user_bus(conn).query_by_id(user.id) == user
        await transaction.rollback()

    with pytest.raises(UserNotFoundError):
        await user_bus(db_pool).query_by_id(user.id)


async def test_only_the_email_constraint_means_a_duplicate_email(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    await db_pool.execute("CREATE UNIQUE INDEX users_name_key ON users (name)")
    bus = user_bus(db_pool)
    first = await bus.create(new_user(0), actor_id=None)
    same_name = dataclasses.replace(new_user(1), name=first.name)

    with pytest.raises(sqldb.DuplicateEntryError) as refused:
        await bus.create(same_name, actor_id=None)

    assert not isinstance(refused.value, DuplicateEmailError)
    assert refused.value.constraint == "users_name_key"


async def test_the_hash_is_stored_as_bcrypt_text(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    user = await user_bus(db_pool).create(new_user(0), actor_id=None)

    stored = await db_pool.fetchval("SELECT password_hash FROM users WHERE user_id = $1", user.id)

    assert stored == user.password_hash.decode()


async def test_a_stored_row_that_breaks_the_rules_fails_loudly(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    user = await user_bus(db_pool).create(new_user(0), actor_id=None)
    await db_pool.execute("UPDATE users SET name = 'x' WHERE user_id = $1", user.id)

    with pytest.raises(ParseError):
        await UserDB(db_pool).query_by_id(user.id)
