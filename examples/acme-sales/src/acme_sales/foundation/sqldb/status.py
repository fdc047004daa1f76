"""Waiting for the database to answer."""

import asyncio
import itertools
from datetime import timedelta

import asyncpg

from acme_sales.foundation.sqldb.errors import DBError

# Each failed attempt waits 100 ms longer than the one before: quick when the database is almost
# up, gentle when it is not.
_BACKOFF_STEP = 0.1

_NOT_READY = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class DatabaseNotReadyError(DBError):
    """The database did not answer a query before the deadline."""

    def __init__(self, deadline: timedelta, attempts: int, cause: BaseException) -> None:
        self.deadline = deadline
        self.attempts = attempts
        reason = str(cause) or type(cause).__name__
        super().__init__(
            f"database not ready after {deadline.total_seconds():g}s "
            f"({attempts} attempts): {reason}"
        )


async def status_check(
    pool: asyncpg.Pool[asyncpg.Record], deadline: timedelta = timedelta(seconds=1)
) -> None:
    """Return once a `SELECT TRUE` round trip succeeds; retry until `deadline` has passed.

    Raises DatabaseNotReadyError, carrying the last failure, when the next pause would pass the
    deadline.
    """
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + deadline.total_seconds()
    for attempt in itertools.count(1):
        try:
            async with asyncio.timeout_at(give_up_at), pool.acquire() as conn:
                await conn.fetchval("SELECT TRUE")
        except _NOT_READY as err:
            pause = attempt * _BACKOFF_STEP
            if loop.time() + pause >= give_up_at:
                raise DatabaseNotReadyError(deadline, attempt, err) from err
            await asyncio.sleep(pause)
        else:
            return
