"""Core migrations: strictly ordered, forward-only, checked against their recorded checksums."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.sdk import migrate
from acme_sales.business.sdk.migrate.source import domain_record_name
from tests.business.sdk.migrate.support import CREATE_A, CREATE_B, recorded, table_exists, write


def assert_shipped_order(applied: list[migrate.AnyMigration]) -> None:
    """`applied` is every shipped migration: the core ones in order, then the domain ones by
    domain and step, except that a domain's come after those of the domains it requires."""
    core = migrate.load_migrations()
    domains = migrate.load_domain_migrations()
    assert applied[: len(core)] == core
    rest = applied[len(core) :]
    assert sorted(m.name for m in rest) == sorted(m.name for m in domains)
    names = [m.name for m in rest]
    for position, migration in enumerate(rest):
        assert isinstance(migration, migrate.DomainMigration)
        for required in migration.requires_domains:
            assert names.index(domain_record_name(required)) < position, migration
        if migration.step > 1:
            previous = domain_record_name(migration.domain, migration.step - 1)
            assert names.index(previous) < position, migration
    # Without requirements, the order is by domain then step.
    if not any(m.requires_domains for m in domains):
        assert rest == domains


async def test_fresh_database_gets_every_shipped_migration_recorded_with_its_checksum(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    core = migrate.load_migrations()
    shipped: list[migrate.AnyMigration] = [*core, *migrate.load_domain_migrations()]

    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn)

    assert_shipped_order(run.applied)
    assert run.retired == []
    assert [m.filename for m in core[:2]] == ["0001_create_users.sql", "0002_create_audit.sql"]
    assert await recorded(empty_db_pool) == sorted((m.name, m.kind, m.checksum) for m in shipped)
    assert await table_exists(empty_db_pool, "users")
    assert await table_exists(empty_db_pool, "audit")


async def test_second_run_applies_nothing(empty_db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn)
        assert await migrate.migrate(conn) == migrate.MigrationRun(applied=[], retired=[])


async def test_core_migrations_are_recorded_by_file_name(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)

    assert await recorded(empty_db_pool) == [
        ("0001_create_a", "core", hashlib.sha256(CREATE_A.encode()).hexdigest())
    ]


async def test_only_new_migrations_are_applied(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        write(tmp_path, "0002_create_b.sql", CREATE_B)
        run = await migrate.migrate(conn, tmp_path)

    assert [m.name for m in run.applied] == ["0002_create_b"]
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

    assert str(caught.value) == (
        f"migration 0001_create_a.sql changed after it was applied: recorded checksum {before}, "
        f"file checksum {after}; restore the file and put the change in a new migration"
    )


async def test_missing_migration_file_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    second = write(tmp_path, "0002_create_b.sql", CREATE_B)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        second.unlink()

        with pytest.raises(migrate.MissingMigrationError) as caught:
            await migrate.migrate(conn, tmp_path)

    assert str(caught.value) == (
        "migration 0002_create_b.sql was applied to this database but its file is missing; "
        "restore it (migrations are forward-only)"
    )


async def test_renamed_migration_counts_as_missing(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    path = write(tmp_path, "0001_create_a.sql", CREATE_A)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        path.rename(tmp_path / "0001_make_a.sql")

        with pytest.raises(migrate.MissingMigrationError, match=re.escape("0001_create_a.sql")):
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

    assert [name for name, _, _ in await recorded(empty_db_pool)] == ["0001_create_a"]
    assert not await table_exists(empty_db_pool, "b")


async def test_concurrent_runners_apply_each_migration_once(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with empty_db_pool.acquire() as first, empty_db_pool.acquire() as second:
        runs = await asyncio.gather(migrate.migrate(first), migrate.migrate(second))

    shipped: list[migrate.AnyMigration] = [
        *migrate.load_migrations(),
        *migrate.load_domain_migrations(),
    ]
    empty, everything = sorted((run.applied for run in runs), key=len)
    assert empty == []
    assert_shipped_order(everything)
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
    domain_names = {entry.name for entry in (migrate.SQL_DIR / migrate.DOMAINS_DIR).iterdir()}

    assert {"0001_create_users.sql", "0002_create_audit.sql", migrate.SEED_FILE} <= names
    assert "README.md" in domain_names  # keeps the folder in a project without domains
