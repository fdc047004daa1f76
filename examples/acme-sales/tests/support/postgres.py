"""Throwaway Postgres for tests: one server per session, a fresh database for each test."""

import asyncio
import gc
import os
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from urllib.parse import unquote, urlsplit

import asyncpg
import pytest

from acme_sales.foundation import sqldb

HOW_TO_PROVIDE = (
    "the tests need PostgreSQL: set TEST_DATABASE_URL=postgresql://user@host:port/db "
    "(a user allowed to create databases), or run a Docker engine so the tests can start one"
)
CONTAINER_IMAGE = "postgres:16-alpine"


@contextmanager
def server_url() -> Iterator[str]:
    """TEST_DATABASE_URL, or else the URL of a container started for this session."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    try:
        from testcontainers.community.postgres import PostgresContainer  # noqa: PLC0415
    except ImportError:  # testcontainers before the `community` namespace
        from testcontainers.postgres import PostgresContainer  # noqa: PLC0415

    problem = None
    try:
        container = PostgresContainer(CONTAINER_IMAGE, driver=None).start()
    except Exception as err:  # noqa: BLE001  (whatever stopped Docker, the remedy is the same)
        problem = str(err)
    if problem is not None:
        _collect_quietly()  # the failed docker client leaves a socket for the collector
        # Stop the session once: every test needs the server, one message is enough.
        pytest.exit(f"{HOW_TO_PROVIDE} (starting a container failed: {problem})", returncode=3)
    try:
        yield str(container.get_connection_url())
    finally:
        container.stop()


def check_server(url: str) -> None:
    """Stop the session, saying why, unless the server at `url` accepts a connection."""
    asyncio.run(_run_on_server(url, "SELECT 1"))


def config_for(server: str, database: str) -> sqldb.DBConfig:
    """A DBConfig for `database` on the server that the URL `server` points at."""
    url = urlsplit(server)
    return sqldb.DBConfig(
        user=unquote(url.username or "postgres"),
        password=unquote(url.password or ""),
        host=url.hostname or "localhost",
        port=url.port or 5432,
        name=database,
        pool_min_size=0,
        pool_max_size=4,
        tls=False,
    )


class Copies:
    """Fresh databases, each a copy of one template, for one test each and never shared.

    CREATE DATABASE spends most of its time waiting for its write-ahead log to reach the disk
    (a fifth of a second on a slow disk, whatever the size), and statements running at once
    share that wait. So copies are made BATCH at a time, concurrently, and handed out one by
    one; the used ones are dropped a batch at a time too. Every test still gets a database
    nobody else has touched.
    """

    BATCH = 8

    def __init__(self, server: str, *, template: str | None = None) -> None:
        self._server = server
        self._template = template
        self._ready: list[str] = []
        self._used: list[str] = []

    async def take(self) -> str:
        """The name of a fresh copy, which nobody else will ever be given."""
        if not self._ready:
            self._ready = list(
                await asyncio.gather(
                    *(
                        create_database(self._server, template=self._template)
                        for _ in range(self.BATCH)
                    )
                )
            )
        return self._ready.pop()

    @asynccontextmanager
    async def lent(self, *, as_name: str | None = None) -> AsyncIterator[str]:
        """A fresh copy for the block; its name, or `as_name` if given (the copy bears that name
        for the block, then its own again: nothing else may bear `as_name` meanwhile)."""
        name = await self.take()
        try:
            if as_name is None:
                yield name
            else:
                await rename_database(self._server, name, as_name)
                try:
                    yield as_name
                finally:
                    await self._take_name_back(as_name, name)
        finally:
            await self.give_back(name)

    async def _take_name_back(self, as_name: str, name: str) -> None:
        try:
            await rename_database(self._server, as_name, name, evict=True)
        except asyncpg.PostgresError:
            # Free the name whatever happened, or every later test would fail for this one.
            await drop_database(self._server, as_name)
            raise

    async def give_back(self, name: str) -> None:
        """Done with `name`: it is dropped (with whatever still holds it open) before long."""
        self._used.append(name)
        if len(self._used) >= self.BATCH:
            await self._drop_used()

    async def close(self) -> None:
        """Drop every copy made, used or not."""
        self._used += self._ready
        self._ready = []
        await self._drop_used()

    async def _drop_used(self) -> None:
        names, self._used = self._used, []
        await asyncio.gather(*(drop_database(self._server, name) for name in names))


def unique_name() -> str:
    """A database name no other test, worker or run uses."""
    return f"test_{uuid.uuid4().hex[:16]}"


async def create_database(server: str, *, template: str | None = None) -> str:
    """A new, uniquely named database (a copy of `template` when given); returns its name."""
    name = unique_name()
    copy_of = f" TEMPLATE {_quote(template)}" if template else ""
    await _run_on_server(server, f"CREATE DATABASE {_quote(name)}{copy_of}")
    return name


async def drop_database(server: str, name: str) -> None:
    await _run_on_server(server, f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


async def rename_database(server: str, old: str, new: str, *, evict: bool = False) -> None:
    """Rename a database (renaming waits for its sessions to end: `evict` ends them first)."""
    statements = [f"ALTER DATABASE {_quote(old)} RENAME TO {_quote(new)}"]
    if evict:
        statements.insert(0, _TERMINATE_SESSIONS.format(name=_literal(old)))
    await _run_on_server(server, *statements)


_TERMINATE_SESSIONS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = {name} AND pid <> pg_backend_pid()"
)


async def _run_on_server(server: str, *statements: str) -> None:
    try:
        conn = await asyncpg.connect(server)
    except (OSError, asyncpg.PostgresError) as err:
        pytest.exit(f"cannot connect to the test server: {err}; {HOW_TO_PROVIDE}", returncode=3)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def _collect_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
