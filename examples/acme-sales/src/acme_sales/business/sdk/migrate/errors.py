"""Why a migration or seed run was refused; every message names the file and what to do."""

from collections.abc import Sequence


class MigrationError(Exception):
    """Base of every refusal from the migration runner."""


class BookkeepingShapeError(MigrationError):
    def __init__(self, table: str, columns: Sequence[str]) -> None:
        super().__init__(
            f"{table} has the columns {', '.join(columns)}: no version of this migration runner "
            "wrote that shape, so the migrations this database applied cannot be read "
            "(was the table changed by hand?)"
        )


class MigrationNameError(MigrationError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"{filename}: migration files are named NNNN_description.sql "
            "(a 4-digit version, then lowercase words joined by '_')"
        )


class DomainMigrationNameError(MigrationError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"{filename}: domain migration files are named after their domain in snake_case, "
            "such as domains/work_order.sql, and its next migrations add a 4-digit step from "
            "0002: domains/work_order.0002.sql"
        )


class DuplicateVersionError(MigrationError):
    def __init__(self, version: int, filenames: Sequence[str]) -> None:
        super().__init__(
            f"migration version {version:04d} is used by more than one file: "
            + ", ".join(sorted(filenames))
        )


class ChangedMigrationError(MigrationError):
    def __init__(self, filename: str, recorded: str, on_disk: str, *, remedy: str) -> None:
        self.filename = filename
        super().__init__(
            f"migration {filename} changed after it was applied: "
            f"recorded checksum {recorded}, file checksum {on_disk}; {remedy}"
        )

    @classmethod
    def core(cls, filename: str, recorded: str, on_disk: str) -> "ChangedMigrationError":
        return cls(
            filename,
            recorded,
            on_disk,
            remedy="restore the file and put the change in a new migration",
        )

    @classmethod
    def domain(cls, filename: str, recorded: str, on_disk: str) -> "ChangedMigrationError":
        # A domain's file runs once; rerunning an edited one is impossible, so the change has
        # to be a new migration.
        return cls(
            filename,
            recorded,
            on_disk,
            remedy=(
                "a domain migration runs once: restore the file as applied; a change of the "
                "domain's fields arrives as its next migration (domains/<domain>.NNNN.sql) from "
                "`copier update`, any other schema change goes in a new core migration "
                "(sql/NNNN_description.sql, with a '-- requires domain: NAME' line)"
            ),
        )


class MissingMigrationError(MigrationError):
    def __init__(self, filename: str) -> None:
        self.filename = filename
        super().__init__(
            f"migration {filename} was applied to this database "
            "but its file is missing; restore it (migrations are forward-only)"
        )


class OutOfOrderMigrationError(MigrationError):
    def __init__(self, filename: str, latest_applied: int) -> None:
        super().__init__(
            f"migration {filename} is not applied yet but is older than the applied version "
            f"{latest_applied:04d}; give it a version above {latest_applied:04d}"
        )


class MissingDomainError(MigrationError):
    def __init__(self, filename: str, domain: str) -> None:
        super().__init__(
            f"migration {filename} requires domain {domain!r}, which has no migration "
            f"(domains/{domain}.sql) and was never applied to this database; restore the "
            "domain or remove the requirement"
        )


class DomainStepError(MigrationError):
    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(
            f"migration {filename} {reason}; a domain's migrations apply in step order, each "
            "once (restore the missing file, or renumber a new one after the newest)"
        )


class MigrationFailedError(MigrationError):
    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"migration {filename} failed and was rolled back: {reason}")


class SeedError(MigrationError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"seeding failed and was rolled back: {reason}")
