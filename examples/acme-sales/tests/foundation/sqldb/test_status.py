from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from datetime import timedelta

import asyncpg
import pytest

from acme_sales.foundation import sqldb
from tests.support.ports import unused_port
from tests.support.tcp_proxy import TCPProxy


async def test_status_check_passes_when_the_database_answers(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    await sqldb.status_check(db_pool)


async def test_status_check_gives_up_at_the_deadline_when_nothing_listens() -> None:
    closed_port = dataclasses.replace(sqldb.DBConfig(), host="127.0.0.1", port=unused_port())
    pool = await sqldb.open_pool(closed_port)
    try:
        started = time.monotonic()
        with pytest.raises(
            sqldb.DatabaseNotReadyError, match=re.escape("database not ready after 0.5s")
        ):
            await sqldb.status_check(pool, timedelta(milliseconds=500))
        elapsed = time.monotonic() - started
    finally:
        await pool.close()
    assert 0.4 <= elapsed < 1.5


async def test_pool_opened_while_the_database_is_down_works_once_it_comes_up(
    db_config: sqldb.DBConfig,
) -> None:
    proxy = TCPProxy(db_config.host, db_config.port)
    proxy.start()
    proxy.cut()  # the database is down: its port refuses connections
    through_proxy = dataclasses.replace(
        db_config, host="127.0.0.1", port=proxy.port, pool_min_size=2
    )
    pool = await sqldb.open_pool(through_proxy)  # starts empty instead of failing

    async def database_comes_up() -> None:
        await asyncio.sleep(0.3)
        proxy.restore()

    try:
        await asyncio.gather(sqldb.status_check(pool, timedelta(seconds=5)), database_comes_up())
        assert await pool.fetchval("SELECT 42") == 42
    finally:
        await pool.close()
        proxy.close()


async def test_status_check_fails_during_an_outage_and_recovers_after_it(
    db_config: sqldb.DBConfig,
) -> None:
    proxy = TCPProxy(db_config.host, db_config.port)
    proxy.start()
    pool = await sqldb.open_pool(dataclasses.replace(db_config, host="127.0.0.1", port=proxy.port))
    try:
        await sqldb.status_check(pool)

        proxy.cut()
        with pytest.raises(sqldb.DatabaseNotReadyError):
            await sqldb.status_check(pool, timedelta(milliseconds=300))

        proxy.restore()
        await sqldb.status_check(pool)
    finally:
        await pool.close()
        proxy.close()


async def test_pool_starts_with_the_minimum_connections_when_the_database_answers(
    db_config: sqldb.DBConfig,
) -> None:
    pool = await sqldb.open_pool(dataclasses.replace(db_config, pool_min_size=2))
    try:
        assert pool.get_size() == 2
    finally:
        await pool.close()


async def test_connections_use_utc_and_name_the_application(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    row = await db_pool.fetchrow(
        "SELECT current_setting('TimeZone'), current_setting('application_name')"
    )
    assert row is not None
    assert tuple(row) == ("UTC", "tests")
