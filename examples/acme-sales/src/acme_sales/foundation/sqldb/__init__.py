"""Postgres through asyncpg: settings, the pool, readiness, query helpers and named errors.

Knows nothing of this service: any service or tool can use it.
"""

from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.errors import (
    DatabaseUnavailableError,
    DBError,
    DuplicateEntryError,
    ForeignKeyViolationError,
    NotFoundError,
    StatementTimeoutError,
    UndefinedTableError,
    translate_errors,
)
from acme_sales.foundation.sqldb.pool import dsn, open_pool
from acme_sales.foundation.sqldb.query import (
    Connection,
    Querier,
    execute,
    fetch_all,
    fetch_one,
)
from acme_sales.foundation.sqldb.status import DatabaseNotReadyError, status_check
from acme_sales.foundation.sqldb.tx import Pool, transaction

__all__ = [
    "Connection",
    "DBConfig",
    "DBError",
    "DatabaseNotReadyError",
    "DatabaseUnavailableError",
    "DuplicateEntryError",
    "ForeignKeyViolationError",
    "NotFoundError",
    "Pool",
    "Querier",
    "StatementTimeoutError",
    "UndefinedTableError",
    "dsn",
    "execute",
    "fetch_all",
    "fetch_one",
    "open_pool",
    "status_check",
    "transaction",
    "translate_errors",
]
