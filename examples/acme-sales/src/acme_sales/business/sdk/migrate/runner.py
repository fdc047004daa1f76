"""Applying migrations and seed data: forward-only, each step in its own transaction."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import asyncpg

from acme_sales.business.sdk.migrate.errors import (
    ChangedMigrationError,
    MigrationFailedError,
    MissingMigrationError,
    OutOfOrderMigrationError,
    SeedError,
)
from acme_sales.business.sdk.migrate.source import SEED_FILE, SQL_DIR, Migration, load_migrations
from acme_sales.foundation import sqldb

# Every runner of this project takes the same session-level advisory lock (the bytes of
# "migrate"), so two deployments starting at once apply each migration exactly once.
_LOCK_KEY = int.from_bytes(b"migrate", "big")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER     PRIMARY KEY,
    description TEXT        NOT NULL,
    checksum    TEXT        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""
_SELECT_APPLIED = "SELECT version, description, checksum FROM schema_migrations ORDER BY version"
_RECORD = "INSERT INTO schema_migrations (version, description, checksum) VALUES ($1, $2, $3)"


@dataclass(frozen=True)
class AppliedMigration:
    """A row of schema_migrations."""

    version: int
    description: str
    checksum: str


async def migrate(conn: sqldb.Connection, directory: Traversable = SQL_DIR) -> list[Migration]:
    """Apply the migrations in `directory` that this database lacks; return those applied."""
    on_disk = load_migrations(directory)
    async with _migration_lock(conn):
        await conn.execute(_CREATE_TABLE)
        applied = [AppliedMigration(*row) for row in await conn.fetch(_SELECT_APPLIED)]
        pending = plan(on_disk, applied)
        for migration in pending:
            await _apply(conn, migration)
    return pending


def plan(on_disk: Sequence[Migration], applied: Sequence[AppliedMigration]) -> list[Migration]:
    """The migrations to apply, after checking the applied ones still match their files."""
    by_version = {migration.version: migration for migration in on_disk}
    for record in applied:
        migration = by_version.get(record.version)
        if migration is None:
            raise MissingMigrationError(record.version, record.description)
        if migration.checksum != record.checksum:
            raise ChangedMigrationError(
                record.version, migration.filename, record.checksum, migration.checksum
            )
    applied_versions = {record.version for record in applied}
    latest = max(applied_versions, default=0)
    pending = [migration for migration in on_disk if migration.version not in applied_versions]
    # Forward-only: a new migration numbered below an applied one was written against a schema
    # that no longer exists.
    if pending and pending[0].version < latest:
        raise OutOfOrderMigrationError(pending[0].filename, latest)
    return pending


async def seed(conn: sqldb.Connection, seed_file: Traversable = SQL_DIR / SEED_FILE) -> None:
    """Load the seed data in one transaction; the file is written to be safe to re-run."""
    try:
        async with conn.transaction():
            with sqldb.translate_errors():
                await conn.execute(seed_file.read_text(encoding="utf-8"))
    except sqldb.UndefinedTableError as err:
        raise SeedError(f"{err} (run the migrations first)") from err
    except asyncpg.PostgresError as err:
        raise SeedError(str(err)) from err


async def _apply(conn: sqldb.Connection, migration: Migration) -> None:
    # The migration and its record commit together or not at all.
    try:
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                _RECORD, migration.version, migration.description, migration.checksum
            )
    except asyncpg.PostgresError as err:
        raise MigrationFailedError(migration.filename, str(err)) from err


@asynccontextmanager
async def _migration_lock(conn: sqldb.Connection) -> AsyncIterator[None]:
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        yield
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
