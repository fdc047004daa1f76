"""The Postgres harness for the whole suite.

One server per session (TEST_DATABASE_URL, or a container), one migrated template database per
session (per pytest-xdist worker), and for each test that asks, a fresh database copied from the
template (a file copy, far faster than migrating again) that is dropped afterwards. Copies are
made ahead, a batch at a time, and dropped a batch at a time (see postgres.Copies). Names are
unique, so parallel runs and workers never share a database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from acme_sales.business.sdk import migrate
from acme_sales.foundation import sqldb
from tests.support import postgres
from tests.support.tcp_proxy import TCPProxy

# Settings the services read from the environment. The suite tests their defaults, so whatever the
# developer's shell or the Makefile exports (SALES_LOG_FORMAT=console for `make run`, an
# OTLP endpoint, ...) must not reach the apps and processes it starts.
SERVICE_ENV_PREFIXES = ("SALES_", "AUTH_", "ADMIN_", "OTEL_", "PROMETHEUS_MULTIPROC_DIR")

# Why the xdist controller found no test server, if it did not.
NO_SERVER = pytest.StashKey[BaseException]()


def pytest_configure() -> None:
    for name in [name for name in os.environ if name.startswith(SERVICE_ENV_PREFIXES)]:
        del os.environ[name]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Under pytest-xdist, find the server here, before the workers start: one container serves
    them all, and a run without a server stops once, saying so, not once in each worker."""
    config = session.config
    if not config.pluginmanager.has_plugin("dsession"):  # no workers: each test asks in turn
        return
    server = contextlib.ExitStack()
    config.add_cleanup(server.close)  # after the workers are gone
    try:
        url = server.enter_context(postgres.server_url())
        postgres.check_server(url)
    except pytest.exit.Exception as stop:
        # Stopping later, once the session has started, prints the message once, not twice.
        config.stash[NO_SERVER] = stop
        return
    os.environ["TEST_DATABASE_URL"] = url  # the workers, started next, inherit it


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    if (stop := session.config.stash.get(NO_SERVER, None)) is not None:
        raise stop


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


@pytest.fixture(scope="session")
async def migrated_copies(
    database_url: str, migrated_template: str
) -> AsyncIterator[postgres.Copies]:
    """Fresh copies of the migrated template, one for each test that asks."""
    copies = postgres.Copies(database_url, template=migrated_template)
    yield copies
    await copies.close()


@pytest.fixture(scope="session")
async def empty_copies(database_url: str) -> AsyncIterator[postgres.Copies]:
    """Fresh databases with no tables at all, one for each test that asks."""
    copies = postgres.Copies(database_url)
    yield copies
    await copies.close()


@pytest.fixture
async def db_config(
    database_url: str, migrated_copies: postgres.Copies
) -> AsyncIterator[sqldb.DBConfig]:
    """Settings for a fresh, migrated database of this test's own (not seeded)."""
    async with migrated_copies.lent() as name:
        yield postgres.config_for(database_url, name)


@pytest.fixture
async def db_pool(db_config: sqldb.DBConfig) -> AsyncIterator[asyncpg.Pool[asyncpg.Record]]:
    """A pool on the `db_config` database."""
    async with await sqldb.open_pool(db_config, application_name="tests") as pool:
        yield pool


@pytest.fixture
def proxy(db_config: sqldb.DBConfig) -> Iterator[TCPProxy]:
    """Postgres behind a proxy the test can cut, to take the database away and bring it back."""
    proxy = TCPProxy(db_config.host, db_config.port)
    proxy.start()
    yield proxy
    proxy.close()


@pytest.fixture
async def empty_db_config(
    database_url: str, empty_copies: postgres.Copies
) -> AsyncIterator[sqldb.DBConfig]:
    """Settings for a fresh database with no tables at all, for testing migrations themselves."""
    async with empty_copies.lent() as name:
        yield postgres.config_for(database_url, name)


@pytest.fixture
async def empty_db_pool(
    empty_db_config: sqldb.DBConfig,
) -> AsyncIterator[asyncpg.Pool[asyncpg.Record]]:
    """A pool on the `empty_db_config` database."""
    async with await sqldb.open_pool(empty_db_config, application_name="tests") as pool:
        yield pool
