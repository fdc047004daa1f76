"""What an admin command is, and the database session every command starts from."""

import argparse
import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.foundation import sqldb
from acme_sales.foundation.logger import Logger


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str  # one line, shown by `admin --help` and as the description of `admin NAME --help`
    run: Callable[[AdminConfig, Logger], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class CommandWithArguments:
    """A command that also takes arguments of its own, such as useradd's NAME and EMAIL.

    `add_arguments` declares them on an argparse parser; `run` receives what that parser read.
    The shared settings (--db-host, ...) work as for every command, before or after them.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[AdminConfig, Logger, argparse.Namespace], Coroutine[Any, Any, None]]


class UsageError(Exception):
    """The operator asked for something that cannot be done as asked; the message says why."""


class CommandError(Exception):
    """What was asked is sound, but the data or the system refuses it; the message says why."""


@asynccontextmanager
async def connect(cfg: AdminConfig) -> AsyncIterator[sqldb.Connection]:
    """One connection, once Postgres answers within `db_wait` (DatabaseNotReadyError otherwise)."""
    # A one-shot tool needs a single connection, opened only when first used.
    pool = await sqldb.open_pool(
        dataclasses.replace(cfg.db, pool_min_size=0, pool_max_size=1), application_name="admin"
    )
    try:
        await sqldb.status_check(pool, cfg.db_wait)
        async with pool.acquire() as conn:
            yield conn
    finally:
        await pool.close()
