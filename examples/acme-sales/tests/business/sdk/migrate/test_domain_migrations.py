"""Domain migrations: one per domain and one per change of its fields, after the core ones,
each after the domains it references (its `-- requires domain:` lines), retired when removed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.sdk import migrate
from tests.business.sdk.migrate.support import CREATE_A, recorded, table_exists, write

# Each domain depends on the core table `a` only (the tests of references add their own).
CREATE_PRODUCTS = "CREATE TABLE products (id INT PRIMARY KEY REFERENCES a (id));"
CREATE_HOMES = "CREATE TABLE homes (id INT PRIMARY KEY REFERENCES a (id));"
CREATE_ZOOS = "CREATE TABLE zoos (id INT PRIMARY KEY REFERENCES a (id));"


def names(run: migrate.MigrationRun) -> list[str]:
    return [m.name for m in run.applied]


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    """A core migration and two domains, written in the opposite of file-name order."""
    write(tmp_path, "domains/product.sql", CREATE_PRODUCTS)
    write(tmp_path, "domains/home.sql", CREATE_HOMES)
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    return tmp_path


async def test_domains_are_applied_after_the_core_migrations_in_file_name_order(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn, sql_dir)

    assert names(run) == ["0001_create_a", "domain:home", "domain:product"]
    assert await recorded(empty_db_pool) == [
        ("0001_create_a", "core", hashlib.sha256(CREATE_A.encode()).hexdigest()),
        ("domain:home", "domain", hashlib.sha256(CREATE_HOMES.encode()).hexdigest()),
        ("domain:product", "domain", hashlib.sha256(CREATE_PRODUCTS.encode()).hexdigest()),
    ]
    assert await table_exists(empty_db_pool, "homes")
    assert await table_exists(empty_db_pool, "products")


async def test_domains_follow_core_migrations_added_in_the_same_run(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    # A domain may use any core table, so it waits for every pending core migration.
    write(sql_dir, "0002_create_b.sql", "CREATE TABLE b (id INT PRIMARY KEY);")
    write(sql_dir, "domains/zoo.sql", "CREATE TABLE zoos (id INT PRIMARY KEY REFERENCES b (id));")
    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn, sql_dir)

    assert names(run) == [
        "0001_create_a",
        "0002_create_b",
        "domain:home",
        "domain:product",
        "domain:zoo",
    ]


async def test_a_new_domain_is_applied_alone_whatever_its_name(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        # "apple" sorts before the applied domains: unlike a core migration, that is no reason
        # to refuse it, because a domain depends only on the domains it requires (none here).
        write(sql_dir, "domains/apple.sql", CREATE_ZOOS)
        run = await migrate.migrate(conn, sql_dir)

    assert names(run) == ["domain:apple"]
    assert await table_exists(empty_db_pool, "zoos")


async def test_a_changed_domain_migration_is_refused_with_the_way_out(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        changed = CREATE_PRODUCTS.replace("PRIMARY KEY", "PRIMARY KEY, note TEXT")
        write(sql_dir, "domains/product.sql", changed)

        with pytest.raises(migrate.ChangedMigrationError) as caught:
            await migrate.migrate(conn, sql_dir)

    before = hashlib.sha256(CREATE_PRODUCTS.encode()).hexdigest()
    after = hashlib.sha256(changed.encode()).hexdigest()
    assert str(caught.value) == (
        f"migration domains/product.sql changed after it was applied: recorded checksum "
        f"{before}, file checksum {after}; a domain migration runs once: restore the file as "
        "applied; a change of the domain's fields arrives as its next migration "
        "(domains/<domain>.NNNN.sql) from `copier update`, any other schema change goes in a new "
        "core migration (sql/NNNN_description.sql, with a '-- requires domain: NAME' line)"
    )


ADD_NOTE = "ALTER TABLE products ADD COLUMN note TEXT;"


async def test_a_domains_next_migrations_follow_it_in_step_order(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    # product.0002.sql sorts before product.sql by name: steps go by number, after the first.
    write(sql_dir, "domains/product.0003.sql", "ALTER TABLE products ADD COLUMN size INT;")
    write(sql_dir, "domains/product.0002.sql", ADD_NOTE)
    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn, sql_dir)
        write(sql_dir, "domains/product.0004.sql", "ALTER TABLE products DROP COLUMN note;")
        later = await migrate.migrate(conn, sql_dir)

    assert names(run) == [
        "0001_create_a",
        "domain:home",
        "domain:product",
        "domain:product.0002",
        "domain:product.0003",
    ]
    assert [m.filename for m in run.applied][-1] == "domains/product.0003.sql"
    assert names(later) == ["domain:product.0004"]


async def test_a_step_without_the_one_before_it_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(sql_dir, "domains/product.0003.sql", ADD_NOTE)
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(migrate.DomainStepError) as caught:
            await migrate.migrate(conn, sql_dir)

    assert str(caught.value).startswith(
        "migration domains/product.0003.sql follows domain:product.0002, which is missing"
    )
    assert await recorded(empty_db_pool) == []  # refused before anything ran


async def test_a_step_numbered_below_an_applied_one_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(sql_dir, "domains/product.0002.sql", ADD_NOTE)
    write(sql_dir, "domains/product.0003.sql", "ALTER TABLE products ADD COLUMN size INT;")
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        await conn.execute("DELETE FROM schema_migrations WHERE name = 'domain:product.0002'")

        with pytest.raises(migrate.DomainStepError, match=r"not applied but domain:product\.0003"):
            await migrate.migrate(conn, sql_dir)


async def test_a_removed_domain_is_retired_and_its_table_kept(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        (sql_dir / "domains" / "product.sql").unlink()

        run = await migrate.migrate(conn, sql_dir)
        again = await migrate.migrate(conn, sql_dir)

    checksum = hashlib.sha256(CREATE_PRODUCTS.encode()).hexdigest()
    retired = [migrate.AppliedMigration("domain:product", migrate.Kind.DOMAIN, checksum)]
    assert run == migrate.MigrationRun(applied=[], retired=retired)
    assert again.retired == retired  # reported on every run, never an error
    assert await table_exists(empty_db_pool, "products")
    assert "domain:product" in [name for name, _, _ in await recorded(empty_db_pool)]


async def test_a_retired_domain_added_back_unchanged_is_a_no_op(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        (sql_dir / "domains" / "product.sql").unlink()
        await migrate.migrate(conn, sql_dir)
        write(sql_dir, "domains/product.sql", CREATE_PRODUCTS)

        run = await migrate.migrate(conn, sql_dir)

    assert run == migrate.MigrationRun(applied=[], retired=[])


async def test_a_retired_domain_added_back_changed_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        (sql_dir / "domains" / "product.sql").unlink()
        await migrate.migrate(conn, sql_dir)
        write(sql_dir, "domains/product.sql", CREATE_PRODUCTS + "\n-- v2")

        with pytest.raises(migrate.ChangedMigrationError, match=re.escape("domains/product.sql")):
            await migrate.migrate(conn, sql_dir)


async def test_a_core_migration_requiring_a_domain_runs_after_it_on_a_fresh_database(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(
        sql_dir,
        "0002_add_product_note.sql",
        "-- requires domain: product\nALTER TABLE products ADD COLUMN note TEXT;",
    )
    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn, sql_dir)

    assert names(run) == [
        "0001_create_a",
        "domain:product",
        "0002_add_product_note",
        "domain:home",
    ]


async def test_a_domain_referencing_another_runs_after_it_whatever_its_name(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    # "basket" sorts first but references "product", which references "cart" in turn.
    write(
        sql_dir,
        "domains/basket.sql",
        "-- requires domain: product\n"
        "CREATE TABLE baskets (id INT PRIMARY KEY REFERENCES products (id));",
    )
    write(sql_dir, "domains/cart.sql", "CREATE TABLE carts (id INT PRIMARY KEY);")
    write(
        sql_dir,
        "domains/product.sql",
        "-- requires domain: cart\n"
        "CREATE TABLE products (id INT PRIMARY KEY REFERENCES carts (id) ON DELETE RESTRICT);",
    )
    async with empty_db_pool.acquire() as conn:
        run = await migrate.migrate(conn, sql_dir)
        assert names(run) == [
            "0001_create_a",
            "domain:cart",
            "domain:product",
            "domain:basket",
            "domain:home",
        ]
        # Added later, next to the applied domain it references: it simply runs.
        write(
            sql_dir,
            "domains/apple.sql",
            "-- requires domain: product\n"
            "CREATE TABLE apples (id INT PRIMARY KEY REFERENCES products (id));",
        )
        assert names(await migrate.migrate(conn, sql_dir)) == ["domain:apple"]


async def test_a_domain_referencing_an_unknown_domain_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(sql_dir, "domains/basket.sql", "-- requires domain: shop\nSELECT 1;")
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(
            migrate.MissingDomainError, match=re.escape("domains/basket.sql requires")
        ):
            await migrate.migrate(conn, sql_dir)

    assert await recorded(empty_db_pool) == []  # refused before anything ran


async def test_a_core_migration_requiring_an_applied_domain_just_runs(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, sql_dir)
        write(
            sql_dir,
            "0002_add_product_note.sql",
            "-- requires domain: product\nALTER TABLE products ADD COLUMN note TEXT;",
        )
        run = await migrate.migrate(conn, sql_dir)

    assert names(run) == ["0002_add_product_note"]


async def test_a_core_migration_requiring_an_unknown_domain_is_refused(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(sql_dir, "0002_add_shop_note.sql", "-- requires domain: shop\nSELECT 1;")
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(migrate.MissingDomainError) as caught:
            await migrate.migrate(conn, sql_dir)

    assert str(caught.value) == (
        "migration 0002_add_shop_note.sql requires domain 'shop', which has no migration "
        "(domains/shop.sql) and was never applied to this database; restore the domain or "
        "remove the requirement"
    )
    assert await recorded(empty_db_pool) == []  # refused before anything ran


async def test_a_failing_domain_migration_is_rolled_back_and_the_rest_kept(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], sql_dir: Path
) -> None:
    write(sql_dir, "domains/zoo.sql", CREATE_ZOOS + "\nSELEC 1;")
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(migrate.MigrationFailedError, match=re.escape("domains/zoo.sql")):
            await migrate.migrate(conn, sql_dir)

    assert [name for name, _, _ in await recorded(empty_db_pool)] == [
        "0001_create_a",
        "domain:home",
        "domain:product",
    ]
    assert not await table_exists(empty_db_pool, "zoos")


def test_a_folder_without_domains_has_no_domain_migrations(tmp_path: Path) -> None:
    write(tmp_path, "0001_create_a.sql", CREATE_A)
    assert migrate.load_domain_migrations(tmp_path) == []

    write(tmp_path, "domains/README.md", "only notes here")
    assert migrate.load_domain_migrations(tmp_path) == []


@pytest.mark.parametrize(
    "name",
    ["Product.sql", "work-order.sql", "0001_product.sql", "product.0001.sql", "product.2.sql"],
)
def test_badly_named_domain_migration_is_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path, f"domains/{name}", CREATE_PRODUCTS)

    with pytest.raises(migrate.DomainMigrationNameError, match=re.escape(f"domains/{name}")):
        migrate.load_domain_migrations(tmp_path)


def test_a_malformed_requirement_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_create_a.sql", "-- requires domain: Product, home\n" + CREATE_A)

    with pytest.raises(migrate.MigrationError, match=re.escape("0001_create_a.sql")):
        migrate.load_migrations(tmp_path)


async def test_each_shipped_domain_migration_needs_only_the_core_ones_and_what_it_requires(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    for migration in migrate.load_migrations():
        if migration.requires_domains:  # from here on, the core schema assumes domain tables
            break
        write(tmp_path, migration.filename, migration.sql)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        by_domain: dict[str, list[migrate.DomainMigration]] = {}
        for domain in migrate.load_domain_migrations():  # by domain, then step
            by_domain.setdefault(domain.domain, []).append(domain)

        def first_of_required(name: str) -> list[str]:
            """The first migrations of the domains `name` requires, theirs before them."""
            found: list[str] = []
            for step in by_domain[name]:
                for required in step.requires_domains:
                    found += [*first_of_required(required), by_domain[required][0].sql]
            return list(dict.fromkeys(found))

        for name, steps in by_domain.items():
            # On the core schema with only the domains its references require, then undone: no
            # domain relies on another one it does not name.
            transaction = conn.transaction()
            await transaction.start()
            try:
                for sql in [*first_of_required(name), *(step.sql for step in steps)]:
                    await conn.execute(sql)
            finally:
                await transaction.rollback()
