"""schema_migrations as older versions of the runner wrote it is upgraded, keeping every record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.sdk import migrate
from tests.business.sdk.migrate.support import CREATE_A, CREATE_B, recorded, table_exists, write

# The table as the runner of template 0.1.0 created it: core migrations by version number.
BY_VERSION = """
CREATE TABLE schema_migrations (
    version     INTEGER     PRIMARY KEY,
    description TEXT        NOT NULL,
    checksum    TEXT        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""
APPLIED_AT = dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)


async def test_a_database_recorded_by_version_is_upgraded_and_only_what_it_lacks_applied(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    users = migrate.load_migrations()[0]
    async with empty_db_pool.acquire() as conn:
        # What 0.1.0 left behind: its one migration applied and recorded, a user in the table.
        await conn.execute(BY_VERSION)
        await conn.execute(users.sql)
        await conn.execute(
            "INSERT INTO schema_migrations VALUES ($1, $2, $3, $4)",
            users.version,
            users.description,
            users.checksum,
            APPLIED_AT,
        )
        before = await conn.fetchval("SELECT count(*) FROM users")

        run = await migrate.migrate(conn)

        kept = await conn.fetchrow(
            "SELECT kind, checksum, applied_at FROM schema_migrations WHERE name = $1", users.name
        )
        after = await conn.fetchval("SELECT count(*) FROM users")

    assert users.name not in {m.name for m in run.applied}
    assert run.applied[0].name == "0002_create_audit"
    assert kept is not None
    assert dict(kept) == {
        "kind": "core",
        "checksum": users.checksum,
        "applied_at": APPLIED_AT,
    }
    assert after == before
    shipped: list[migrate.AnyMigration] = [
        *migrate.load_migrations(),
        *migrate.load_domain_migrations(),
    ]
    assert await recorded(empty_db_pool) == sorted((m.name, m.kind, m.checksum) for m in shipped)
    assert not await table_exists(empty_db_pool, "schema_migrations_by_version")


async def test_a_change_made_before_the_upgrade_is_still_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    path = write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await conn.execute(BY_VERSION)
        await conn.execute(CREATE_A)
        await conn.execute("INSERT INTO schema_migrations VALUES (1, 'create_a', $1)", "0" * 64)

        with pytest.raises(
            migrate.ChangedMigrationError, match=r"^migration 0001_create_a\.sql changed"
        ):
            await migrate.migrate(conn, path.parent)


async def test_a_table_of_unknown_shape_is_refused_and_left_as_it_was(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_b.sql", CREATE_B)
    async with empty_db_pool.acquire() as conn:
        await conn.execute("CREATE TABLE schema_migrations (id INT PRIMARY KEY, script TEXT)")
        await conn.execute("INSERT INTO schema_migrations VALUES (1, 'x')")

        with pytest.raises(migrate.BookkeepingShapeError) as caught:
            await migrate.migrate(conn, tmp_path)

        rows = await conn.fetch("SELECT id, script FROM schema_migrations")

    assert str(caught.value).startswith(
        "schema_migrations has the columns id, script: no version of this migration runner"
    )
    assert [tuple(row) for row in rows] == [(1, "x")]
    assert not await table_exists(empty_db_pool, "b")
