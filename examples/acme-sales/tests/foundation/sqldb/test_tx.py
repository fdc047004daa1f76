"""sqldb.transaction: one transaction for a block, on a pool, a Database or a connection."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb.database import Database


class BoomError(Exception):
    pass


@pytest.fixture
async def pool(db_pool: asyncpg.Pool[asyncpg.Record]) -> asyncpg.Pool[asyncpg.Record]:
    # In the migrated test database: named so that no domain's table can be (those start with a
    # letter), whatever the domains are called.
    await db_pool.execute("CREATE TABLE _tx_notes (text TEXT NOT NULL)")
    return db_pool


@pytest.fixture
async def database(
    db_config: sqldb.DBConfig, pool: asyncpg.Pool[asyncpg.Record]
) -> AsyncIterator[Database]:
    database = Database(db_config)
    await database.open()
    yield database
    await database.close()


async def notes(pool: asyncpg.Pool[asyncpg.Record]) -> list[str]:
    return [row["text"] for row in await pool.fetch("SELECT text FROM _tx_notes ORDER BY text")]


async def add(db: sqldb.Querier, text: str) -> None:
    await sqldb.execute(db, "INSERT INTO _tx_notes (text) VALUES ($1)", text)


async def add_then_fail(db: sqldb.Querier, text: str) -> None:
    """Add `text` in a transaction on `db`, then raise inside it."""
    async with sqldb.transaction(db) as conn:
        await add(conn, text)
        raise BoomError


async def test_on_a_pool_the_block_commits_as_one(pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with sqldb.transaction(pool) as conn:
        await add(conn, "a")
        await add(conn, "b")
        assert await notes(pool) == []  # not visible outside before the commit

    assert await notes(pool) == ["a", "b"]


async def test_on_a_pool_an_exception_rolls_the_block_back(
    pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    with pytest.raises(BoomError):
        await add_then_fail(pool, "a")

    assert await notes(pool) == []


async def test_on_a_database_the_block_commits_and_returns_its_connection(
    database: Database, pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    async with sqldb.transaction(database) as conn:
        await add(conn, "a")
    with pytest.raises(BoomError):
        await add_then_fail(database, "b")

    assert await notes(pool) == ["a"]
    assert database.pool.get_size() - database.pool.get_idle_size() == 0  # none left borrowed


async def test_on_a_connection_in_a_transaction_it_is_a_savepoint(
    pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with pool.acquire() as conn:
        outer = conn.transaction()
        await outer.start()
        async with sqldb.transaction(conn) as inner:
            assert inner is conn
            await add(inner, "kept")
        with pytest.raises(BoomError):
            await add_then_fail(conn, "undone alone")
        await add(conn, "outer")  # the outer transaction is still usable
        await outer.commit()

    assert await notes(pool) == ["kept", "outer"]


async def test_a_savepoint_that_succeeded_rolls_back_with_the_outer_transaction(
    pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with pool.acquire() as conn:
        outer = conn.transaction()
        await outer.start()
        async with sqldb.transaction(conn) as inner:
            await add(inner, "a")
        await outer.rollback()

    assert await notes(pool) == []


async def test_on_a_bare_connection_it_is_a_transaction_of_its_own(
    pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(BoomError):
            await add_then_fail(conn, "a")
        async with sqldb.transaction(conn):
            await add(conn, "b")

    assert await notes(pool) == ["b"]


async def test_a_querier_that_cannot_open_transactions_is_refused() -> None:
    class OnlyQueries:
        async def execute(self, query: str, *args: object) -> str:
            return ""

        async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
            return []

        async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
            return None

    with pytest.raises(TypeError, match="cannot open a transaction on a OnlyQueries"):
        await sqldb.transaction(OnlyQueries()).__aenter__()
