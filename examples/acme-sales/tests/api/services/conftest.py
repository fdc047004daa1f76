"""The two services running in process, for API tests.

The apps are built once per session (per pytest-xdist worker) and served again for each test, on
a database of the test's own: a fresh copy of the migrated template, renamed to the one name the
apps know for the test's duration, dropped afterwards.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from acme_sales.foundation import sqldb
from tests.support import postgres, services


@pytest.fixture(scope="session")
def keys_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return services.write_signing_key(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def served_name() -> str:
    """The database name the shared apps connect to: each test's fresh copy takes it in turn."""
    return postgres.unique_name()


@pytest.fixture(scope="session", params=["local", "remote"])
def apps(
    request: pytest.FixtureRequest, database_url: str, served_name: str, keys_folder: Path
) -> services.Apps:
    """Both apps, the sales app in each auth mode in turn: every API test runs in both."""
    return services.build(
        postgres.config_for(database_url, served_name), keys_folder, mode=request.param
    )


@pytest.fixture
async def db_config(
    database_url: str, migrated_copies: postgres.Copies, served_name: str
) -> AsyncIterator[sqldb.DBConfig]:
    """A fresh, migrated database of this test's own (not seeded), under the served name."""
    async with migrated_copies.lent(as_name=served_name) as name:
        yield postgres.config_for(database_url, name)


@pytest.fixture
async def api(
    apps: services.Apps, db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> AsyncIterator[services.Services]:
    async with apps.serving(db_pool) as running:
        yield running
