"""Versioned, forward-only SQL migrations and seed data, shipped inside the package.

Files in `sql/` are named `NNNN_description.sql`; each applied one is recorded in the table
`schema_migrations` with its sha256, and a file that changed after it was applied is refused.
"""

from acme_sales.business.sdk.migrate.errors import (
    ChangedMigrationError,
    DuplicateVersionError,
    MigrationError,
    MigrationFailedError,
    MigrationNameError,
    MissingMigrationError,
    OutOfOrderMigrationError,
    SeedError,
)
from acme_sales.business.sdk.migrate.runner import AppliedMigration, migrate, plan, seed
from acme_sales.business.sdk.migrate.source import (
    SEED_FILE,
    SQL_DIR,
    Migration,
    load_migrations,
)

__all__ = [
    "SEED_FILE",
    "SQL_DIR",
    "AppliedMigration",
    "ChangedMigrationError",
    "DuplicateVersionError",
    "Migration",
    "MigrationError",
    "MigrationFailedError",
    "MigrationNameError",
    "MissingMigrationError",
    "OutOfOrderMigrationError",
    "SeedError",
    "load_migrations",
    "migrate",
    "plan",
    "seed",
]
