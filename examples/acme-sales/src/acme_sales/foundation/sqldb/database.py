"""A database a service holds from startup to shutdown: the pool plus its readiness check."""

from contextlib import AbstractAsyncContextManager
from datetime import timedelta

import asyncpg

from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.pool import open_pool
from acme_sales.foundation.sqldb.query import Connection
from acme_sales.foundation.sqldb.status import status_check


class Database:
    """Routes and stores are built before the event loop runs; the pool opens inside it, at startup.

    So a Database is what they hold: it is a Querier (run queries through it as through the pool)
    that works once the service has started.
    """

    def __init__(self, cfg: DBConfig, *, ready_deadline: timedelta = timedelta(seconds=1)) -> None:
        self.cfg = cfg
        self.ready_deadline = ready_deadline
        self._pool: asyncpg.Pool[asyncpg.Record] | None = None

    @property
    def pool(self) -> "asyncpg.Pool[asyncpg.Record]":
        if self._pool is None:
            raise RuntimeError("the database is used before startup opened it")
        return self._pool

    async def open(self) -> None:
        self._pool = await open_pool(self.cfg)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def status_check(self) -> None:
        """Raise DatabaseNotReadyError unless Postgres answers within the readiness deadline."""
        await status_check(self.pool, self.ready_deadline)

    def acquire(self) -> "AbstractAsyncContextManager[Connection]":
        """Borrow a connection for a block (what `sqldb.transaction(database)` does)."""
        return self.pool.acquire()

    async def execute(self, query: str, *args: object) -> str:
        return await self.pool.execute(query, *args)

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        return await self.pool.fetch(query, *args)

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
        return await self.pool.fetchrow(query, *args)
