"""Migration files: how they are named, found and fingerprinted."""

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from acme_sales.business.sdk.migrate.errors import DuplicateVersionError, MigrationNameError

# The migrations and seed data that ship inside the package.
SQL_DIR: Traversable = files("acme_sales.business.sdk.migrate") / "sql"
SEED_FILE = "seed.sql"

_MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<description>[a-z0-9]+(?:_[a-z0-9]+)*)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    filename: str
    sql: str
    checksum: str  # sha256 of the file's bytes, hex


def load_migrations(directory: Traversable = SQL_DIR) -> list[Migration]:
    """Every migration file in `directory`, by version.

    Any `.sql` file other than the seed file must be a well-named migration, so a typo in a name
    is refused rather than silently skipped.
    """
    by_version: dict[int, Migration] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql") or entry.name == SEED_FILE:
            continue
        migration = _read(entry)
        if (clash := by_version.get(migration.version)) is not None:
            raise DuplicateVersionError(migration.version, [clash.filename, migration.filename])
        by_version[migration.version] = migration
    return [by_version[version] for version in sorted(by_version)]


def _read(entry: Traversable) -> Migration:
    match = _MIGRATION_NAME.match(entry.name)
    if match is None:
        raise MigrationNameError(entry.name)
    content = entry.read_bytes()
    return Migration(
        version=int(match["version"]),
        description=match["description"],
        filename=entry.name,
        sql=content.decode("utf-8"),
        checksum=hashlib.sha256(content).hexdigest(),
    )
