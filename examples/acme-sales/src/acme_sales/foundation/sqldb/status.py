"""Waiting for the database to answer."""

from __future__ import annotations

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
        super().__init__(
            f"database not ready after {deadline.total_seconds():g}s "
            f"({attempts} attempts): {_describe(cause)}"
        )


async def status_check(
    pool: asyncpg.Pool[asyncpg.Record], deadline: timedelta = timedelta(seconds=1)
) -> None:
    """Return once a `SELECT TRUE` round trip succeeds, retrying until `deadline` has passed.

    Raises DatabaseNotReadyError, carrying the most telling failure, when the deadline passes.
    """
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + deadline.total_seconds()
    last_error: BaseException | None = None
    for attempt in itertools.count(1):
        try:
            async with asyncio.timeout_at(give_up_at), pool.acquire() as conn:
                await conn.fetchval("SELECT TRUE")
        except _NOT_READY as err:
            # An attempt cut off by the deadline says less than the failure before it.
            cause = last_error if isinstance(err, TimeoutError) and last_error else err
            last_error = cause
            remaining = give_up_at - loop.time()
            if remaining <= 0:
                raise DatabaseNotReadyError(deadline, attempt, cause) from cause
            await asyncio.sleep(min(attempt * _BACKOFF_STEP, remaining))
        else:
            return


def _describe(error: BaseException) -> str:
    if str(error):
        return str(error)
    return "timed out" if isinstance(error, TimeoutError) else type(error).__name__
