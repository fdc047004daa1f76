"""Versioned, forward-only SQL migrations and seed data, shipped inside the package.

Core migrations are `sql/NNNN_description.sql`, applied in version order; each business domain
has one more, `sql/domains/<domain>.sql`, applied after the core ones, and one more for each change
of its fields, `sql/domains/<domain>.NNNN.sql`, applied in step order (see `source`). Each applied
migration is recorded in the table `schema_migrations` with its sha256, and a file that changed
after it was applied is refused. A domain migration whose file is gone is reported as retired. A
table written by an older version of the runner is upgraded first (see `bookkeeping`).
"""

from acme_sales.business.sdk.migrate.bookkeeping import AppliedMigration
from acme_sales.business.sdk.migrate.errors import (
    BookkeepingShapeError,
    ChangedMigrationError,
    DomainMigrationNameError,
    DomainStepError,
    DuplicateVersionError,
    MigrationError,
    MigrationFailedError,
    MigrationNameError,
    MissingDomainError,
    MissingMigrationError,
    OutOfOrderMigrationError,
    SeedError,
)
from acme_sales.business.sdk.migrate.runner import (
    AnyMigration,
    MigrationRun,
    Plan,
    migrate,
    plan,
    seed,
)
from acme_sales.business.sdk.migrate.source import (
    DOMAINS_DIR,
    SEED_FILE,
    SQL_DIR,
    DomainMigration,
    Kind,
    Migration,
    load_domain_migrations,
    load_migrations,
)

__all__ = [
    "DOMAINS_DIR",
    "SEED_FILE",
    "SQL_DIR",
    "AnyMigration",
    "AppliedMigration",
    "BookkeepingShapeError",
    "ChangedMigrationError",
    "DomainMigration",
    "DomainMigrationNameError",
    "DomainStepError",
    "DuplicateVersionError",
    "Kind",
    "Migration",
    "MigrationError",
    "MigrationFailedError",
    "MigrationNameError",
    "MigrationRun",
    "MissingDomainError",
    "MissingMigrationError",
    "OutOfOrderMigrationError",
    "Plan",
    "SeedError",
    "load_domain_migrations",
    "load_migrations",
    "migrate",
    "plan",
    "seed",
]
