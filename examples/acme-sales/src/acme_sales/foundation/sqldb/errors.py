"""Database failures with names the business layer can catch without knowing asyncpg."""

from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg


class DBError(Exception):
    """Base of every error this package raises."""


class NotFoundError(DBError):
    """The query matched no rows."""

    def __init__(self) -> None:
        super().__init__("no rows in result set")


class DuplicateEntryError(DBError):
    """A row would repeat a value that a unique constraint forbids (SQLSTATE 23505)."""

    def __init__(self, constraint: str, table: str) -> None:
        self.constraint = constraint
        self.table = table
        # The server's detail ("Key (email)=(...)") holds user data, so it stays out of the text.
        super().__init__(f"duplicate entry in {table or 'table'} violates unique {constraint!r}")


class ForeignKeyViolationError(DBError):
    """A row would reference a missing row, or a deleted row is still referenced (SQLSTATE
    23503): `table` is the table holding the reference."""

    def __init__(self, constraint: str, table: str) -> None:
        self.constraint = constraint
        self.table = table
        super().__init__(f"{table or 'table'} violates foreign key {constraint!r}")


class DatabaseUnavailableError(DBError):
    """No connection could be had or kept: the database is down, restarting or refusing
    connections, or no connection came free (or connected) within the acquire timeout."""


class StatementTimeoutError(DBError):
    """A statement ran past the statement timeout and Postgres cancelled it (SQLSTATE 57014)."""


class UndefinedTableError(DBError):
    """The query names a table that does not exist (SQLSTATE 42P01): usually a missing migration."""


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise the asyncpg errors callers act on as this package's named errors."""
    try:
        yield
    except asyncpg.UniqueViolationError as err:
        raise DuplicateEntryError(err.constraint_name or "", err.table_name or "") from err
    except asyncpg.ForeignKeyViolationError as err:
        raise ForeignKeyViolationError(err.constraint_name or "", err.table_name or "") from err
    except asyncpg.UndefinedTableError as err:
        raise UndefinedTableError(str(err)) from err
