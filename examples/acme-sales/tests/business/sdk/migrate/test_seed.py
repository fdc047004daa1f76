from __future__ import annotations

import asyncpg
import pytest

from acme_sales.business.sdk import migrate

ADMIN_ID = "5cf37266-3473-4006-984f-9325122678b7"
USER_ID = "45b5fbd3-755f-4379-8f07-a58d4a30fa2f"


async def seeded_users(pool: asyncpg.Pool[asyncpg.Record]) -> list[tuple[str, str, list[str]]]:
    rows = await pool.fetch("SELECT user_id::text, email, roles FROM users ORDER BY email")
    return [(row["user_id"], row["email"], row["roles"]) for row in rows]


async def test_seed_loads_the_admin_and_the_user(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with db_pool.acquire() as conn:
        await migrate.seed(conn)

    assert await seeded_users(db_pool) == [
        (ADMIN_ID, "admin@example.com", ["ADMIN"]),
        (USER_ID, "user@example.com", ["USER"]),
    ]


async def test_seed_can_run_again_without_changes(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with db_pool.acquire() as conn:
        await migrate.seed(conn)
        first = await seeded_users(db_pool)
        await migrate.seed(conn)

    assert await seeded_users(db_pool) == first


async def test_seed_before_the_migrations_is_refused_with_a_hint(
    empty_db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with empty_db_pool.acquire() as conn:
        with pytest.raises(migrate.SeedError, match="run the migrations first"):
            await migrate.seed(conn)
