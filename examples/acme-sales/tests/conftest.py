"""The Postgres harness for the whole suite.

One server per session (TEST_DATABASE_URL, or a container), one migrated template database per
session, and for each test that asks, a fresh database copied from the template (a file copy, far
faster than migrating again) that is dropped afterwards. Names are unique, so parallel runs
(pytest-xdist) never share a database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from acme_sales.business.sdk import migrate
from acme_sales.foundation import sqldb
from tests.support import postgres

# Settings the services read from the environment. The suite tests their defaults, so whatever the
# developer's shell or the Makefile exports (SALES_LOG_FORMAT=console for `make run`, an
# OTLP endpoint, ...) must not reach the apps and processes it starts.
SERVICE_ENV_PREFIXES = ("SALES_", "AUTH_", "ADMIN_", "OTEL_", "PROMETHEUS_MULTIPROC_DIR")


def pytest_configure() -> None:
    for name in [name for name in os.environ if name.startswith(SERVICE_ENV_PREFIXES)]:
        del os.environ[name]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """URL of the test server's maintenance database (used to create and drop databases)."""
    with postgres.server_url() as url:
        yield url


@pytest.fixture(scope="session")
async def migrated_template(database_url: str) -> AsyncIterator[str]:
    """Name of this session's template database, with every migration applied."""
    name = await postgres.create_database(database_url)
    try:
        pool = await sqldb.open_pool(postgres.config_for(database_url, name))
        try:
            async with pool.acquire() as conn:
                await migrate.migrate(conn)
        finally:
            # A template must have no sessions open when it is copied.
            await pool.close()
        yield name
    finally:
        await postgres.drop_database(database_url, name)


@pytest.fixture
async def db_config(database_url: str, migrated_template: str) -> AsyncIterator[sqldb.DBConfig]:
    """Settings for a fresh, migrated database of this test's own (not seeded)."""
    name = await postgres.create_database(database_url, template=migrated_template)
    yield postgres.config_for(database_url, name)
    await postgres.drop_database(database_url, name)


@pytest.fixture
async def db_pool(db_config: sqldb.DBConfig) -> AsyncIterator[asyncpg.Pool[asyncpg.Record]]:
    """A pool on the `db_config` database."""
    async with await sqldb.open_pool(db_config, application_name="tests") as pool:
        yield pool


@pytest.fixture
async def empty_db_config(database_url: str) -> AsyncIterator[sqldb.DBConfig]:
    """Settings for a fresh database with no tables at all, for testing migrations themselves."""
    name = await postgres.create_database(database_url)
    yield postgres.config_for(database_url, name)
    await postgres.drop_database(database_url, name)


@pytest.fixture
async def empty_db_pool(
    empty_db_config: sqldb.DBConfig,
) -> AsyncIterator[asyncpg.Pool[asyncpg.Record]]:
    """A pool on the `empty_db_config` database."""
    async with await sqldb.open_pool(empty_db_config, application_name="tests") as pool:
        yield pool
