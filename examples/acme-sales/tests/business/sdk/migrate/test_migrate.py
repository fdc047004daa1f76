from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.sdk import migrate

CREATE_A = "CREATE TABLE a (id INT PRIMARY KEY);"
CREATE_B = "CREATE TABLE b (id INT PRIMARY KEY);"


def write(directory: Path, name: str, sql: str) -> Path:
    path = directory / name
    path.write_text(sql, encoding="utf-8")
    return path


async def recorded(pool: asyncpg.Pool[asyncpg.Record]) -> list[tuple[int, str, str]]:
    rows = await pool.fetch("SELECT version, description, checksum FROM schema_migrations")
    return sorted((row["version"], row["description"], row["checksum"]) for row in rows)


async def table_exists(pool: asyncpg.Pool[asyncpg.Record], name: str) -> bool:
    found: bool = await pool.fetchval("SELECT to_regclass($1) IS NOT NULL", name)
    return found


async def test_fresh_database_gets_every_shipped_migration_recorded_with_its_checksum(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    shipped = migrate.load_migrations()

    async with empty_db_pool.acquire() as conn:
        applied = await migrate.migrate(conn)

    assert applied == shipped
    assert shipped[0].filename == "0001_create_users.sql"
    assert await recorded(empty_db_pool) == [
        (m.version, m.description, m.checksum) for m in shipped
    ]
    assert await table_exists(empty_db_pool, "users")


async def test_second_run_applies_nothing(empty_db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn)
        assert await migrate.migrate(conn) == []


async def test_only_new_migrations_are_applied(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        write(tmp_path, "0002_create_b.sql", CREATE_B)
        applied = await migrate.migrate(conn, tmp_path)

    assert [m.version for m in applied] == [2]
    assert await table_exists(empty_db_pool, "b")


async def test_changed_migration_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    path = write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        path.write_text(CREATE_A + "\nALTER TABLE a ADD COLUMN note TEXT;", encoding="utf-8")
        before = hashlib.sha256(CREATE_A.encode()).hexdigest()
        after = hashlib.sha256(path.read_bytes()).hexdigest()

        with pytest.raises(migrate.ChangedMigrationError) as caught:
            await migrate.migrate(conn, tmp_path)

    message = str(caught.value)
    assert "0001_create_a.sql" in message
    assert f"recorded checksum {before}" in message
    assert f"file checksum {after}" in message


async def test_missing_migration_file_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    second = write(tmp_path, "0002_create_b.sql", CREATE_B)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        second.unlink()

        with pytest.raises(migrate.MissingMigrationError, match=re.escape("0002_create_b.sql")):
            await migrate.migrate(conn, tmp_path)


async def test_new_migration_older_than_an_applied_one_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0002_create_b.sql", CREATE_B)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        write(tmp_path, "0001_create_a.sql", CREATE_A)

        with pytest.raises(migrate.OutOfOrderMigrationError, match=re.escape("0001_create_a.sql")):
            await migrate.migrate(conn, tmp_path)


async def test_failing_migration_is_rolled_back_with_its_record(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    write(tmp_path, "0002_broken.sql", CREATE_B + "\nSELEC 1;")
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(migrate.MigrationFailedError, match=re.escape("0002_broken.sql")):
            await migrate.migrate(conn, tmp_path)

    assert [version for version, _, _ in await recorded(empty_db_pool)] == [1]
    assert not await table_exists(empty_db_pool, "b")


async def test_concurrent_runners_apply_each_migration_once(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with empty_db_pool.acquire() as first, empty_db_pool.acquire() as second:
        results = await asyncio.gather(migrate.migrate(first), migrate.migrate(second))

    shipped = migrate.load_migrations()
    assert sorted(results, key=len) == [[], shipped]
    assert len(await recorded(empty_db_pool)) == len(shipped)


def test_duplicate_versions_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    write(tmp_path, "0001_create_b.sql", CREATE_B)

    with pytest.raises(
        migrate.DuplicateVersionError, match=re.escape("0001_create_a.sql, 0001_create_b.sql")
    ):
        migrate.load_migrations(tmp_path)


@pytest.mark.parametrize("name", ["1_create_a.sql", "0001-create-a.sql", "0001_Create_A.sql"])
def test_badly_named_migration_is_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, CREATE_A)

    with pytest.raises(migrate.MigrationNameError, match=re.escape(name)):
        migrate.load_migrations(tmp_path)


def test_sql_files_ship_inside_the_package() -> None:
    names = {entry.name for entry in migrate.SQL_DIR.iterdir()}

    assert {"0001_create_users.sql", migrate.SEED_FILE} <= names
