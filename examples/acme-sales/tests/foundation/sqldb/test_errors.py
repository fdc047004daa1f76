from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest

from acme_sales.foundation import sqldb

INSERT_USER = """
INSERT INTO users (user_id, name, email, roles, password_hash, enabled, date_created, date_updated)
VALUES ($1, 'Someone', $2, '{USER}', 'hash', TRUE, $3, $3)
"""


async def insert_user(db: sqldb.Querier, email: str) -> None:
    await sqldb.execute(db, INSERT_USER, uuid.uuid4(), email, datetime.now(UTC))


async def test_duplicate_key_raises_duplicate_entry_error_naming_the_constraint(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    await insert_user(db_pool, "same@example.com")

    with pytest.raises(sqldb.DuplicateEntryError) as caught:
        await insert_user(db_pool, "same@example.com")

    assert caught.value.constraint == "users_email_key"
    assert caught.value.table == "users"
    assert "same@example.com" not in str(caught.value)  # user data stays out of messages


async def test_fetch_one_without_rows_raises_not_found(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    with pytest.raises(sqldb.NotFoundError):
        await sqldb.fetch_one(db_pool, "SELECT * FROM users WHERE user_id = $1", uuid.uuid4())


async def test_fetch_one_returns_the_row(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    await insert_user(db_pool, "found@example.com")

    row = await sqldb.fetch_one(
        db_pool, "SELECT name FROM users WHERE email = $1", "found@example.com"
    )

    assert row["name"] == "Someone"


async def test_fetch_all_without_rows_is_an_empty_list(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    assert await sqldb.fetch_all(db_pool, "SELECT * FROM users") == []


async def test_query_on_a_missing_table_raises_undefined_table_error(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    with pytest.raises(sqldb.UndefinedTableError, match="users"):
        await sqldb.fetch_all(empty_db_pool, "SELECT * FROM users")
