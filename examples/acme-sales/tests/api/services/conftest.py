"""The two services running in process, for API tests."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from acme_sales.foundation import sqldb
from tests.support import services


@pytest.fixture(scope="session")
def keys_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return services.write_signing_key(tmp_path_factory.mktemp("keys"))


@pytest.fixture
async def api(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record], keys_folder: Path
) -> AsyncIterator[services.Services]:
    async with services.running(db_config, db_pool, keys_folder) as running:
        yield running
