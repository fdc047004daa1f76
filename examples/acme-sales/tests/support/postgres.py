"""Throwaway Postgres for tests: one server per session, a fresh database for each test."""

import gc
import os
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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


async def create_database(server: str, *, template: str | None = None) -> str:
    """A new, uniquely named database (a copy of `template` when given); returns its name."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    copy_of = f" TEMPLATE {_quote(template)}" if template else ""
    await _run_on_server(server, f"CREATE DATABASE {_quote(name)}{copy_of}")
    return name


async def drop_database(server: str, name: str) -> None:
    await _run_on_server(server, f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


async def _run_on_server(server: str, statement: str) -> None:
    try:
        conn = await asyncpg.connect(server)
    except (OSError, asyncpg.PostgresError) as err:
        pytest.exit(f"cannot connect to the test server: {err}; {HOW_TO_PROVIDE}", returncode=3)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _collect_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
