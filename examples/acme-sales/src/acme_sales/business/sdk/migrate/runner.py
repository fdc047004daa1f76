"""Applying migrations and seed data: forward-only, each step in its own transaction."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable

import asyncpg

from acme_sales.business.sdk.migrate import bookkeeping
from acme_sales.business.sdk.migrate.bookkeeping import AppliedMigration
from acme_sales.business.sdk.migrate.errors import (
    ChangedMigrationError,
    DomainStepError,
    MigrationFailedError,
    MissingDomainError,
    MissingMigrationError,
    OutOfOrderMigrationError,
    SeedError,
)
from acme_sales.business.sdk.migrate.source import (
    SEED_FILE,
    SQL_DIR,
    DomainMigration,
    Kind,
    Migration,
    domain_record_name,
    load_domain_migrations,
    load_migrations,
)
from acme_sales.foundation import sqldb

AnyMigration = Migration | DomainMigration

# Every runner of this project takes the same session-level advisory lock (the bytes of
# "migrate"), so two deployments starting at once apply each migration exactly once.
_LOCK_KEY = int.from_bytes(b"migrate", "big")


@dataclass(frozen=True)
class Plan:
    """What a run will do, once the applied migrations have been checked against their files."""

    pending: list[AnyMigration] = field(default_factory=list)  # in the order to apply them
    # Domain migrations applied earlier whose files are gone: the domain was removed from the
    # project. Not an error: their tables stay, untouched, and nothing is dropped.
    retired: list[AppliedMigration] = field(default_factory=list)


@dataclass(frozen=True)
class MigrationRun:
    """What `migrate` did."""

    applied: list[AnyMigration]
    retired: list[AppliedMigration]


async def migrate(conn: sqldb.Connection, directory: Traversable = SQL_DIR) -> MigrationRun:
    """Apply the migrations in `directory` that this database lacks: core ones first, in version
    order, then domain ones by domain and step (a domain after the domains it references), each
    in its own transaction with its record."""
    core = load_migrations(directory)
    domains = load_domain_migrations(directory)
    async with _migration_lock(conn):
        await bookkeeping.prepare(conn)
        to_do = plan(core, domains, await bookkeeping.applied(conn))
        for migration in to_do.pending:
            await _apply(conn, migration)
    return MigrationRun(applied=to_do.pending, retired=to_do.retired)


def plan(
    core: Sequence[Migration],
    domains: Sequence[DomainMigration],
    applied: Sequence[AppliedMigration],
) -> Plan:
    """The migrations to apply, after checking the applied ones still match their files."""
    retired = _check_applied(core, domains, applied)
    done = {record.name for record in applied}
    latest = max((_version(r) for r in applied if r.kind is Kind.CORE), default=0)
    pending_core = [migration for migration in core if migration.name not in done]
    # Forward-only: a new migration numbered below an applied one was written against a schema
    # that no longer exists.
    if pending_core and pending_core[0].version < latest:
        raise OutOfOrderMigrationError(pending_core[0].filename, latest)
    waiting = [m for m in domains if m.name not in done]  # by domain, then step
    _check_steps(domains, waiting, applied)
    pending: list[AnyMigration] = []

    def place_required(migration: AnyMigration, seen: tuple[str, ...] = ()) -> None:
        """Put the first migrations of the domains `migration` requires (and theirs) before it."""
        for domain in migration.requires_domains:
            first = next((m for m in waiting if m.domain == domain and m.step == 1), None)
            if first is not None:
                if domain in seen:
                    raise DomainStepError(first.filename, f"requires itself through {seen}")
                waiting.remove(first)
                place_required(first, (*seen, domain))
                pending.append(first)
            elif domain_record_name(domain) not in done and not any(
                m.name == domain_record_name(domain) for m in pending
            ):
                raise MissingDomainError(migration.filename, domain)

    for migration in pending_core:
        # A core migration that alters a domain's tables needs them: on a fresh database the
        # domain's first migration goes right before it rather than after every core one (its
        # next migrations, written later, still follow the core ones).
        place_required(migration)
        pending.append(migration)
    # Then the domain migrations, by domain and step, each after the first migrations of the
    # domains its references name (a domain's table after the tables it references).
    while waiting:
        next_one = waiting.pop(0)
        place_required(next_one, (next_one.domain,))
        pending.append(next_one)
    return Plan(pending=pending, retired=retired)


def _check_steps(
    domains: Sequence[DomainMigration],
    waiting: Sequence[DomainMigration],
    applied: Sequence[AppliedMigration],
) -> None:
    """Refuse a domain's pending migration that does not follow its previous step, applied or
    pending, or that comes before a step already applied."""
    done = {record.name for record in applied}
    on_disk = {m.name for m in domains}
    for migration in waiting:
        if migration.step == 1:
            continue
        previous = domain_record_name(migration.domain, migration.step - 1)
        if previous not in done and previous not in on_disk:
            raise DomainStepError(migration.filename, f"follows {previous}, which is missing")
        later = domain_record_name(migration.domain, migration.step + 1)
        if later in done:
            raise DomainStepError(migration.filename, f"is not applied but {later} is")


def _check_applied(
    core: Sequence[Migration],
    domains: Sequence[DomainMigration],
    applied: Sequence[AppliedMigration],
) -> list[AppliedMigration]:
    """Refuse a changed or missing core file and a changed domain file; return the retired."""
    on_disk: dict[str, AnyMigration] = {m.name: m for m in core}
    on_disk.update({m.name: m for m in domains})
    retired: list[AppliedMigration] = []
    for record in applied:
        migration = on_disk.get(record.name)
        if migration is None:
            if record.kind is Kind.DOMAIN:
                retired.append(record)
                continue
            raise MissingMigrationError(f"{record.name}.sql")
        if migration.checksum != record.checksum:
            changed = (
                ChangedMigrationError.domain
                if migration.kind is Kind.DOMAIN
                else ChangedMigrationError.core
            )
            raise changed(migration.filename, record.checksum, migration.checksum)
    return retired


def _version(record: AppliedMigration) -> int:
    return int(record.name.partition("_")[0])


async def seed(conn: sqldb.Connection, seed_file: Traversable = SQL_DIR / SEED_FILE) -> None:
    """Load the seed data in one transaction; the file is written to be safe to re-run."""
    try:
        async with conn.transaction():
            with sqldb.translate_errors():
                await conn.execute(seed_file.read_text(encoding="utf-8"))
    except sqldb.UndefinedTableError as err:
        raise SeedError(f"{err} (run the migrations first)") from err
    except asyncpg.PostgresError as err:
        raise SeedError(str(err)) from err


async def _apply(conn: sqldb.Connection, migration: AnyMigration) -> None:
    # The migration and its record commit together or not at all.
    try:
        async with conn.transaction():
            await conn.execute(migration.sql)
            await bookkeeping.record(conn, migration.name, migration.kind, migration.checksum)
    except asyncpg.PostgresError as err:
        raise MigrationFailedError(migration.filename, str(err)) from err


@asynccontextmanager
async def _migration_lock(conn: sqldb.Connection) -> AsyncIterator[None]:
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        yield
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
