"""Writing migration folders and reading back what a run recorded."""

from __future__ import annotations

from pathlib import Path

import asyncpg

CREATE_A = "CREATE TABLE a (id INT PRIMARY KEY);"
CREATE_B = "CREATE TABLE b (id INT PRIMARY KEY);"


def write(directory: Path, name: str, sql: str) -> Path:
    """`directory`/`name` holding `sql`; `name` may be domains/NAME.sql."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path


async def recorded(pool: asyncpg.Pool[asyncpg.Record]) -> list[tuple[str, str, str]]:
    """(name, kind, checksum) of each row of schema_migrations, by name."""
    rows = await pool.fetch("SELECT name, kind, checksum FROM schema_migrations ORDER BY name")
    return [(row["name"], row["kind"], row["checksum"]) for row in rows]


async def table_exists(pool: asyncpg.Pool[asyncpg.Record], name: str) -> bool:
    found: bool = await pool.fetchval("SELECT to_regclass($1) IS NOT NULL", name)
    return found
