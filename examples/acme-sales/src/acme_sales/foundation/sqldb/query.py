"""Small query helpers that turn driver errors and empty results into named errors."""

from typing import Protocol, runtime_checkable

import asyncpg
from asyncpg.transaction import Transaction

from acme_sales.foundation.sqldb.errors import NotFoundError, translate_errors


class Querier(Protocol):
    """Anything that runs queries: the pool, a connection or a connection borrowed from the pool."""

    async def execute(self, query: str, *args: object) -> str: ...

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]: ...

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None: ...


@runtime_checkable
class Connection(Querier, Protocol):
    """One session (plain or borrowed from the pool): it can open transactions and hold locks."""

    def transaction(self) -> Transaction: ...


async def execute(db: Querier, sql: str, *args: object) -> str:
    """Run a statement; return its status tag (e.g. 'UPDATE 1')."""
    with translate_errors():
        return await db.execute(sql, *args)


async def fetch_one(db: Querier, sql: str, *args: object) -> asyncpg.Record:
    """The first row of the result; NotFoundError when there is none."""
    with translate_errors():
        row = await db.fetchrow(sql, *args)
    if row is None:
        raise NotFoundError
    return row


async def fetch_all(db: Querier, sql: str, *args: object) -> list[asyncpg.Record]:
    """Every row of the result (an empty list is not an error)."""
    with translate_errors():
        return await db.fetch(sql, *args)
