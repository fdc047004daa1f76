"""The Database services hold: what it raises when Postgres cannot serve a request."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb.database import Database


async def test_no_connection_free_past_the_acquire_timeout_is_unavailable(
    db_config: sqldb.DBConfig,
) -> None:
    one = dataclasses.replace(
        db_config,
        pool_min_size=1,
        pool_max_size=1,
        pool_acquire_timeout=timedelta(milliseconds=100),
    )
    database = Database(one)
    await database.open()
    try:
        async with database.acquire():
            with pytest.raises(sqldb.DatabaseUnavailableError, match="no connection within"):
                await database.fetchrow("SELECT 1")
        assert await database.fetchrow("SELECT 1") is not None  # free again: served again
    finally:
        await database.close()


async def test_a_statement_past_the_statement_timeout_is_cancelled(
    db_config: sqldb.DBConfig,
) -> None:
    short = dataclasses.replace(db_config, statement_timeout=timedelta(milliseconds=100))
    database = Database(short)
    await database.open()
    try:
        with pytest.raises(sqldb.StatementTimeoutError, match=r"ran past 0\.1s"):
            await database.fetchrow("SELECT pg_sleep(5)")
        assert await database.fetchrow("SELECT 1") is not None
    finally:
        await database.close()
