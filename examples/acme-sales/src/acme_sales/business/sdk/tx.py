"""One request's work across several domains in ONE database transaction.

Every business object (UserBus, AuditBus, each generated domain's bus) has
`with_querier(db) -> Self`: a copy whose stores run their queries through `db`. Open a
transaction with `transaction`, hand its connection to each bus involved, and their writes commit
together when the block ends, or roll back together when anything in it raises:

    async with tx.transaction(db) as conn:
        user = await users.with_querier(conn).create(new_user, actor_id=admin_id)
        product = await products.with_querier(conn).create(new_product_of(user))

`db` is what the service already holds (its Database); the copies are cheap and live only for
the block. Inside it, always go through the copies: a bus held from wiring still runs on the
pool, outside the transaction, and could wait forever on rows the transaction has locked.

A bus whose own methods need several writes to be atomic (UserBus writes a change and its audit
row) opens `transaction` on its own querier: on the pool that is a transaction of its own; on a
connection already in a transaction (a copy made as above) it is a savepoint inside it, so the
method stays atomic and still commits or rolls back with the caller's work.
"""

from typing import Protocol, Self

from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb import transaction

__all__ = ["Transactional", "transaction"]


class Transactional(Protocol):
    """A business object that can run on a given querier, such as a transaction's connection."""

    def with_querier(self, db: sqldb.Querier) -> Self: ...
