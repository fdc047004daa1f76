"""Migration files: how they are named, found and fingerprinted.

Two kinds live under `sql/`:

- core migrations, `sql/NNNN_description.sql`: the one strictly ordered, forward-only sequence;
  recorded as `NNNN_description`.
- domain migrations, `sql/domains/<domain>.sql`: one per business domain, creating that domain's
  tables and views and depending on core tables and on the domains its reference fields name;
  recorded as `domain:<domain>`. A domain's references are in its file as `-- requires domain:
  NAME` lines, and the domains they name are applied first (the `domains` answer refuses a
  reference cycle), so a render with any valid set of domains has a valid schema. A domain
  whose fields changed has its next migrations too, `sql/domains/<domain>.NNNN.sql` (0002 and up,
  altering what the ones before made), recorded as `domain:<domain>.NNNN` and applied in order.

A core migration that alters a domain's tables says so with the same line, `-- requires domain:
NAME`, and that domain's migration is applied before it.
"""

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import ClassVar, Final, Literal

from acme_sales.business.sdk.migrate.errors import (
    DomainMigrationNameError,
    DuplicateVersionError,
    MigrationError,
    MigrationNameError,
)

# The migrations and seed data that ship inside the package.
SQL_DIR: Traversable = files("acme_sales.business.sdk.migrate") / "sql"
SEED_FILE: Final = "seed.sql"
DOMAINS_DIR: Final = "domains"  # under SQL_DIR

_CORE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<description>[a-z0-9]+(?:_[a-z0-9]+)*)\.sql$")
_SNAKE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
_STEP = r"\d{4}"  # a domain's next migrations: <domain>.0002.sql, ...
_DOMAIN_NAME = re.compile(rf"^(?P<domain>{_SNAKE})(?:\.(?P<step>{_STEP}))?\.sql$")
_REQUIRES = re.compile(r"^--\s*requires domain:(?P<domain>.*)$", re.MULTILINE)


class Kind(StrEnum):
    CORE = "core"
    DOMAIN = "domain"


@dataclass(frozen=True)
class Migration:
    """A core migration, `NNNN_description.sql`."""

    version: int
    description: str
    filename: str
    sql: str
    checksum: str  # sha256 of the file's bytes, hex
    requires_domains: tuple[str, ...] = ()  # from its `-- requires domain: NAME` lines

    kind: ClassVar[Literal[Kind.CORE]] = Kind.CORE

    @property
    def name(self) -> str:
        """Its key in schema_migrations."""
        return f"{self.version:04d}_{self.description}"


@dataclass(frozen=True)
class DomainMigration:
    """A migration of one business domain: `domains/<domain>.sql` creates its tables (step 1),
    `domains/<domain>.NNNN.sql` (step NNNN, from 2) alters them."""

    domain: str
    filename: str  # relative to sql/: domains/<domain>.sql, domains/<domain>.0002.sql
    sql: str
    checksum: str
    step: int = 1
    # From its `-- requires domain: NAME` lines: the domains whose tables its references name,
    # whose first migrations run before it.
    requires_domains: tuple[str, ...] = ()

    kind: ClassVar[Literal[Kind.DOMAIN]] = Kind.DOMAIN

    @property
    def name(self) -> str:
        """Its key in schema_migrations."""
        return domain_record_name(self.domain, self.step)


def domain_record_name(domain: str, step: int = 1) -> str:
    """`domain:<domain>` for a domain's first migration, `domain:<domain>.NNNN` for the next."""
    return f"{Kind.DOMAIN}:{domain}" if step == 1 else f"{Kind.DOMAIN}:{domain}.{step:04d}"


def load_migrations(directory: Traversable = SQL_DIR) -> list[Migration]:
    """Every core migration file in `directory`, by version.

    Any `.sql` file other than the seed file must be a well-named migration, so a typo in a name
    is refused rather than silently skipped.
    """
    by_version: dict[int, Migration] = {}
    for entry in directory.iterdir():
        if not entry.is_file() or not entry.name.endswith(".sql") or entry.name == SEED_FILE:
            continue
        migration = _read_core(entry)
        if (clash := by_version.get(migration.version)) is not None:
            raise DuplicateVersionError(migration.version, [clash.filename, migration.filename])
        by_version[migration.version] = migration
    return [by_version[version] for version in sorted(by_version)]


def load_domain_migrations(directory: Traversable = SQL_DIR) -> list[DomainMigration]:
    """Every domain migration in `directory`/domains, by domain then step; none when it has none."""
    domains = directory / DOMAINS_DIR
    if not domains.is_dir():  # a project may have no domains at all
        return []
    found = [
        _read_domain(entry)
        for entry in domains.iterdir()
        if entry.is_file() and entry.name.endswith(".sql")
    ]
    return sorted(found, key=lambda migration: (migration.domain, migration.step))


def _read_core(entry: Traversable) -> Migration:
    match = _CORE_NAME.match(entry.name)
    if match is None:
        raise MigrationNameError(entry.name)
    content = entry.read_bytes()
    sql = content.decode("utf-8")
    return Migration(
        version=int(match["version"]),
        description=match["description"],
        filename=entry.name,
        sql=sql,
        checksum=_checksum(content),
        requires_domains=_required_domains(entry.name, sql),
    )


def _read_domain(entry: Traversable) -> DomainMigration:
    filename = f"{DOMAINS_DIR}/{entry.name}"
    match = _DOMAIN_NAME.match(entry.name)
    step = int(match["step"] or 1) if match is not None else 0
    if match is None or (match["step"] is not None and step < 2):
        raise DomainMigrationNameError(filename)
    content = entry.read_bytes()
    return DomainMigration(
        domain=match["domain"],
        filename=filename,
        sql=content.decode("utf-8"),
        checksum=_checksum(content),
        step=step,
        requires_domains=_required_domains(filename, content.decode("utf-8")),
    )


def _required_domains(filename: str, sql: str) -> tuple[str, ...]:
    domains: list[str] = []
    for match in _REQUIRES.finditer(sql):
        domain = match["domain"].strip()
        if re.fullmatch(_SNAKE, domain) is None:
            raise MigrationError(
                f"{filename}: '-- requires domain: {domain}' must name one domain in snake_case"
            )
        domains.append(domain)
    return tuple(dict.fromkeys(domains))


def _checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
