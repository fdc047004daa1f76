"""One transaction around a block of queries, whatever the caller holds.

    async with sqldb.transaction(db) as conn:
        await sqldb.execute(conn, "INSERT ...")
        await sqldb.execute(conn, "INSERT ...")

The block's queries go through `conn`; they commit together when the block ends and roll back
together when it raises. `db` is whatever the caller would otherwise query through:

- a Database or a pool: a connection is borrowed for the block and returned after it;
- a connection: the transaction opens on it. If that connection is already in a transaction
  (the caller's), this one is a savepoint inside it: the block rolls back alone when it raises,
  and otherwise commits or rolls back with the caller's transaction.

So code that needs atomic writes calls `transaction` on the querier it was given and stays
correct both on its own and inside a larger transaction. In a trace, the block is one
`sqldb.transaction` span holding its statements.
"""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol, runtime_checkable

from opentelemetry import trace

from acme_sales.foundation.sqldb.query import Connection, Querier

_tracer = trace.get_tracer(__name__)


@runtime_checkable
class Pool(Protocol):
    """Lends connections: asyncpg's pool, or a Database."""

    def acquire(self) -> AbstractAsyncContextManager[Connection]: ...


@asynccontextmanager
async def transaction(db: Querier) -> AsyncIterator[Connection]:
    """Run the block in one transaction on `db` (see the module docstring); yield its querier."""
    if isinstance(db, Pool):
        with _tracer.start_as_current_span("sqldb.transaction"):
            async with db.acquire() as conn, conn.transaction():
                yield conn
    elif isinstance(db, Connection):
        with _tracer.start_as_current_span("sqldb.transaction"):
            async with db.transaction():
                yield db
    else:
        raise TypeError(
            f"cannot open a transaction on a {type(db).__name__}: "
            "pass a Database, a pool or a connection"
        )
