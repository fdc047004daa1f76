"""Throwaway Postgres for tests: one server per session, a fresh database for each test."""

import asyncio
import functools
import gc
import os
import queue
import threading
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TypeVar
from urllib.parse import unquote, urlsplit

import asyncpg
import pytest

from acme_sales.foundation import sqldb

HOW_TO_PROVIDE = (
    "the tests need PostgreSQL: set TEST_DATABASE_URL=postgresql://user@host:port/db "
    "(a user allowed to create databases), or run a Docker engine so the tests can start one"
)
CONTAINER_IMAGE = "postgres:16-alpine"

T = TypeVar("T")


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

    Made and dropped one at a time as each test started and ended, they cost about a third of a
    second per test on a slow disk, mostly spent waiting for it: CREATE DATABASE forces
    checkpoints and DROP DATABASE one, and statements running at once share them. So a thread
    of their own makes copies BATCH at a time, concurrently, before they are needed (while the
    tests run), and drops the used ones together just before. Every test still gets a database
    nobody else has touched.

    The copies are made with STRATEGY FILE_COPY (how PostgreSQL made every copy before 15): the
    files are copied, instead of every page going through the write-ahead log and staying dirty
    in shared buffers, where the next checkpoint (any DROP DATABASE forces one) would have to
    write it out again.
    """

    BATCH = 8
    CONCURRENT = 8  # statements at once: connections are limited, other sessions need some too
    WAIT = 300.0  # seconds to wait for a copy before calling the maker stuck

    def __init__(self, server: str, *, template: str | None = None) -> None:
        self._server = server
        self._template = template
        self._ready: queue.SimpleQueue[str | BaseException] = queue.SimpleQueue()
        self._used: list[str] = []  # the maker drops them, under _lock
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._closing = False
        self._failed: BaseException | None = None  # what stopped the maker, raised by take
        self._maker = threading.Thread(target=self._make, name="database-copies", daemon=True)
        self._maker.start()

    async def take(self) -> str:
        """The name of a fresh copy, which nobody else will ever be given."""
        if self._failed is not None:
            raise self._failed
        if self._ready.qsize() <= self.BATCH // 2:
            self._wanted.set()  # the next batch, made while this one is used up
        try:
            copy = await asyncio.to_thread(self._ready.get, timeout=self.WAIT)
        except queue.Empty:
            raise TimeoutError(f"no database copy made in {self.WAIT:g}s") from None
        if isinstance(copy, BaseException):
            raise copy
        return copy

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
            with self._lock:
                self._used.append(name)

    async def close(self) -> None:
        """Stop making copies; drop every copy made, used or not."""
        self._closing = True
        self._wanted.set()
        await asyncio.to_thread(self._maker.join)
        left: list[str] = []
        while not self._ready.empty():
            if isinstance(copy := self._ready.get(), str):
                left.append(copy)
        await self._drop(self._used + left)
        self._used = []

    def _make(self) -> None:
        """The maker thread: a batch each time one is wanted, until closing."""
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._closing:
                return
            if self._ready.qsize() > self.BATCH // 2:  # asked twice meanwhile
                continue
            with self._lock:
                used, self._used = self._used, []
            try:
                for copy in asyncio.run(self._restock(used)):
                    self._ready.put(copy)
            except BaseException as error:  # noqa: BLE001  (pytest.exit's too: the test raises it)
                self._failed = error
                self._ready.put(error)  # for a take already waiting
                return

    async def _restock(self, used: list[str]) -> list[str]:
        # Dropped first, so that the checkpoint they force has the fewest pages to write.
        await self._drop(used)
        return await self._at_once([self._create] * self.BATCH)

    async def _take_name_back(self, as_name: str, name: str) -> None:
        try:
            await rename_database(self._server, as_name, name, evict=True)
        except asyncpg.PostgresError:
            # Free the name whatever happened, or every later test would fail for this one.
            await drop_database(self._server, as_name)
            raise

    async def _create(self) -> str:
        return await create_database(self._server, template=self._template, file_copy=True)

    async def _drop(self, names: list[str]) -> None:
        await self._at_once(
            [functools.partial(drop_database, self._server, name) for name in names]
        )

    async def _at_once(self, calls: list[Callable[[], Awaitable[T]]]) -> list[T]:
        slots = asyncio.Semaphore(self.CONCURRENT)

        async def call(one: Callable[[], Awaitable[T]]) -> T:
            async with slots:
                return await one()

        return list(await asyncio.gather(*(call(one) for one in calls)))


def unique_name() -> str:
    """A database name no other test, worker or run uses."""
    return f"test_{uuid.uuid4().hex[:16]}"


async def create_database(
    server: str, *, template: str | None = None, file_copy: bool = False
) -> str:
    """A new, uniquely named database (a copy of `template` when given); returns its name.

    `file_copy`: copy the files (STRATEGY FILE_COPY, the only way before PostgreSQL 15)."""
    name = unique_name()
    statement = f"CREATE DATABASE {_quote(name)}"
    if template:
        statement += f" TEMPLATE {_quote(template)}"
    if file_copy and await _server_version(server) >= 15:
        statement += " STRATEGY FILE_COPY"
    await _run_on_server(server, statement)
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
    conn = await _connect(server)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


_versions: dict[str, int] = {}


async def _server_version(server: str) -> int:
    """The server's major version (asked once)."""
    if server not in _versions:
        conn = await _connect(server)
        _versions[server] = conn.get_server_version().major
        await conn.close()
    return _versions[server]


async def _connect(server: str) -> "asyncpg.Connection[asyncpg.Record]":
    try:
        return await asyncpg.connect(server)
    except (OSError, asyncpg.PostgresError) as err:
        pytest.exit(f"cannot connect to the test server: {err}; {HOW_TO_PROVIDE}", returncode=3)


def _collect_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
