"""What an admin command is, and the database session every command starts from."""

import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.foundation import sqldb
from acme_sales.foundation.logger import Logger


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str  # one line, shown by `admin --help` and as the description of `admin NAME --help`
    run: Callable[[AdminConfig, Logger], Coroutine[Any, Any, None]]


@asynccontextmanager
async def connect(cfg: AdminConfig) -> AsyncIterator[sqldb.Connection]:
    """One connection, once Postgres answers within `db_wait` (DatabaseNotReadyError otherwise)."""
    # A one-shot tool needs a single connection, opened only when first used.
    pool = await sqldb.open_pool(
        dataclasses.replace(cfg.db, pool_min_size=0, pool_max_size=1), application_name="admin"
    )
    try:
        await sqldb.status_check(pool, cfg.db_wait)
        async with pool.acquire() as conn:
            yield conn
    finally:
        await pool.close()
