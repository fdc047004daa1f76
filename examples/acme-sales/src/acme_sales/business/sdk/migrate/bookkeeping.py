"""The table `schema_migrations`: what the runner records of each applied migration, and how a
table written by an older version of the runner is brought to the current shape.

The runner's code comes from the project template and changes with `copier update`; the table
lives in databases migrated before the update. So every shape the table has had stays known here,
oldest first, with the statements that bring it one step forward: a database migrated by any
earlier version is upgraded in place, inside the migration lock, before anything is read.
"""

from dataclasses import dataclass

from acme_sales.business.sdk.migrate.errors import BookkeepingShapeError
from acme_sales.business.sdk.migrate.source import Kind
from acme_sales.foundation import sqldb

_CREATE = """
CREATE TABLE schema_migrations (
    name       TEXT        PRIMARY KEY,  -- 0001_create_users, domain:product
    kind       TEXT        NOT NULL CHECK (kind IN ('core', 'domain')),
    checksum   TEXT        NOT NULL,     -- sha256 of the file, hex
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""
_SELECT = "SELECT name, kind, checksum FROM schema_migrations ORDER BY name"
_RECORD = "INSERT INTO schema_migrations (name, kind, checksum) VALUES ($1, $2, $3)"
_COLUMNS = """
SELECT array_agg(column_name::text ORDER BY column_name) AS columns
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = 'schema_migrations'
"""


@dataclass(frozen=True)
class AppliedMigration:
    """A row of schema_migrations."""

    name: str
    kind: Kind
    checksum: str


@dataclass(frozen=True)
class _Shape:
    columns: frozenset[str]
    upgrade: tuple[str, ...]  # statements that turn this shape into the next one


# Core migrations only, recorded by version number and description (template 0.1.0). The file
# 0001_create_users.sql was recorded as (1, 'create_users'): its name is the file's stem.
_BY_VERSION = _Shape(
    columns=frozenset({"version", "description", "checksum", "applied_at"}),
    upgrade=(
        "ALTER TABLE schema_migrations RENAME TO schema_migrations_by_version",
        _CREATE,
        """
        INSERT INTO schema_migrations (name, kind, checksum, applied_at)
        SELECT lpad(version::text, 4, '0') || '_' || description, 'core', checksum, applied_at
        FROM schema_migrations_by_version
        """,
        "DROP TABLE schema_migrations_by_version",
    ),
)
# Core and domain migrations, recorded by name (template 0.2.0 onwards): the current shape.
_BY_NAME = _Shape(
    columns=frozenset({"name", "kind", "checksum", "applied_at"}),
    upgrade=(),
)
_SHAPES = (_BY_VERSION, _BY_NAME)


async def prepare(conn: sqldb.Connection) -> None:
    """Create the table, or bring a table written by an older runner to the current shape.

    Call it holding the migration lock: the upgrade runs in one transaction, all or nothing.
    """
    found = await conn.fetchrow(_COLUMNS)
    columns: list[str] | None = found["columns"] if found is not None else None
    if columns is None:  # no such table
        await conn.execute(_CREATE)
        return
    known = [shape.columns for shape in _SHAPES]
    if frozenset(columns) not in known:
        raise BookkeepingShapeError("schema_migrations", columns)
    async with conn.transaction():
        for shape in _SHAPES[known.index(frozenset(columns)) :]:
            for statement in shape.upgrade:
                await conn.execute(statement)


async def applied(conn: sqldb.Connection) -> list[AppliedMigration]:
    """Every migration recorded as applied, by name."""
    return [
        AppliedMigration(row["name"], Kind(row["kind"]), row["checksum"])
        for row in await conn.fetch(_SELECT)
    ]


async def record(conn: sqldb.Connection, name: str, kind: Kind, checksum: str) -> None:
    """Record a migration as applied (inside the transaction that applied it)."""
    await conn.execute(_RECORD, name, kind, checksum)
