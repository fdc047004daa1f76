"""A database a service holds from startup to shutdown: the pool plus its readiness check."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg

from acme_sales.foundation.sqldb import metrics
from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.pool import open_pool
from acme_sales.foundation.sqldb.query import Connection
from acme_sales.foundation.sqldb.status import status_check


class Database:
    """Routes and stores are built before the event loop runs; the pool opens inside it, at startup.

    So a Database is what they hold: it is a Querier (run queries through it as through the pool)
    that works once the service has started. Every query borrows a connection through `acquire`,
    which keeps the pool gauges (in use, waiting, size) true.
    """

    def __init__(self, cfg: DBConfig, *, ready_deadline: timedelta = timedelta(seconds=1)) -> None:
        self.cfg = cfg
        self.ready_deadline = ready_deadline
        self._pool: asyncpg.Pool[asyncpg.Record] | None = None
        self._size = 0  # what this pool adds to the size gauge

    @property
    def pool(self) -> "asyncpg.Pool[asyncpg.Record]":
        if self._pool is None:
            raise RuntimeError("the database is used before startup opened it")
        return self._pool

    async def open(self) -> None:
        self._pool = await open_pool(self.cfg)
        metrics.POOL_MAX_SIZE.inc(self._pool.get_max_size())
        metrics.POOL_SIZE.inc(self._pool.get_size())
        self._size = self._pool.get_size()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            metrics.POOL_MAX_SIZE.dec(self._pool.get_max_size())
            metrics.POOL_SIZE.dec(self._size)
            self._pool = None

    async def status_check(self) -> None:
        """Raise DatabaseNotReadyError unless Postgres answers within the readiness deadline."""
        await status_check(self.pool, self.ready_deadline)

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Connection]:
        """Borrow a connection for a block (what `sqldb.transaction(database)` does)."""
        pool = self.pool
        metrics.POOL_WAITING.inc()
        try:
            conn = await pool.acquire()
        finally:
            metrics.POOL_WAITING.dec()
        metrics.POOL_IN_USE.inc()
        self._note_size(pool.get_size())
        try:
            yield conn
        finally:
            metrics.POOL_IN_USE.dec()
            await pool.release(conn)

    async def execute(self, query: str, *args: object) -> str:
        async with self.acquire() as conn:
            return await conn.execute(query, *args)

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        async with self.acquire() as conn:
            return await conn.fetch(query, *args)

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
        async with self.acquire() as conn:
            return await conn.fetchrow(query, *args)

    def _note_size(self, size: int) -> None:
        # The gauge sums every pool of the process: move it by this pool's change only.
        if size != self._size:
            metrics.POOL_SIZE.inc(size - self._size)
            self._size = size
