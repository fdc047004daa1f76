"""A database a service holds from startup to shutdown: the pool plus its readiness check."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg

from acme_sales.foundation.logger import get_logger
from acme_sales.foundation.sqldb import metrics
from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.errors import (
    DatabaseUnavailableError,
    StatementTimeoutError,
)
from acme_sales.foundation.sqldb.pool import open_pool
from acme_sales.foundation.sqldb.query import Connection
from acme_sales.foundation.sqldb.status import status_check

_log = get_logger(component="sqldb")

# What losing the database looks like, while connecting or on a connection in use: refused or
# reset sockets, a server shutting down or starting up, no connection slot left, a connection
# that died under a query. (Not asyncpg's InterfaceError as such: that is a misuse, a bug.)
_LOST = (
    OSError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


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
        self._lost = False  # whether the last attempt found the database unavailable

    @property
    def pool(self) -> "asyncpg.Pool[asyncpg.Record]":
        if self._pool is None:
            raise RuntimeError("the database is used before startup opened it")
        return self._pool

    async def open(self) -> None:
        self._pool = await open_pool(self.cfg, statement_timeout=self.cfg.statement_timeout)
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
        """Borrow a connection for a block (what `sqldb.transaction(database)` does).

        A database that cannot be reached, or a pool that stays busy past the acquire timeout,
        raises DatabaseUnavailableError, here or from inside the block; a statement cancelled
        by the statement timeout raises StatementTimeoutError. The first failure after a
        success is logged, and the first success after a failure: a state change, not a line
        per request.
        """
        pool = self.pool
        metrics.POOL_WAITING.inc()
        try:
            # Waiting covers connecting a new connection too: a database host that does not
            # answer times out here as well as a pool whose connections all stay busy.
            conn = await pool.acquire(timeout=self.cfg.pool_acquire_timeout.total_seconds() or None)
        except TimeoutError as err:
            raise self._unavailable(err, "no connection within the acquire timeout") from err
        except _LOST as err:
            raise self._unavailable(err, "cannot connect") from err
        finally:
            metrics.POOL_WAITING.dec()
        metrics.POOL_IN_USE.inc()
        self._note_size(pool.get_size())
        try:
            yield conn
            self._available()
        except _LOST as err:
            raise self._unavailable(err, "connection lost") from err
        except asyncpg.QueryCanceledError as err:
            raise StatementTimeoutError(
                f"a statement ran past {self.cfg.statement_timeout.total_seconds():g}s"
            ) from err
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

    def _unavailable(self, err: BaseException, what: str) -> DatabaseUnavailableError:
        if not self._lost:
            self._lost = True
            _log.warning("database unavailable", reason=what, error=type(err).__name__)
        return DatabaseUnavailableError(f"database unavailable: {what}")

    def _available(self) -> None:
        if self._lost:
            self._lost = False
            _log.info("database available again")

    def _note_size(self, size: int) -> None:
        # The gauge sums every pool of the process: move it by this pool's change only.
        if size != self._size:
            metrics.POOL_SIZE.inc(size - self._size)
            self._size = size
