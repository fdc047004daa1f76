"""Why a migration or seed run was refused; every message names the file and what to do."""

from collections.abc import Sequence


class MigrationError(Exception):
    """Base of every refusal from the migration runner."""


class MigrationNameError(MigrationError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"{filename}: migration files are named NNNN_description.sql "
            "(a 4-digit version, then lowercase words joined by '_')"
        )


class DuplicateVersionError(MigrationError):
    def __init__(self, version: int, filenames: Sequence[str]) -> None:
        super().__init__(
            f"migration version {version:04d} is used by more than one file: "
            + ", ".join(sorted(filenames))
        )


class ChangedMigrationError(MigrationError):
    def __init__(self, version: int, filename: str, recorded: str, on_disk: str) -> None:
        self.version = version
        super().__init__(
            f"migration {filename} (version {version:04d}) changed after it was applied: "
            f"recorded checksum {recorded}, file checksum {on_disk}; "
            "restore the file and put the change in a new migration"
        )


class MissingMigrationError(MigrationError):
    def __init__(self, version: int, description: str) -> None:
        self.version = version
        super().__init__(
            f"migration {version:04d}_{description}.sql was applied to this database "
            "but its file is missing; restore it (migrations are forward-only)"
        )


class OutOfOrderMigrationError(MigrationError):
    def __init__(self, filename: str, latest_applied: int) -> None:
        super().__init__(
            f"migration {filename} is not applied yet but is older than the applied version "
            f"{latest_applied:04d}; give it a version above {latest_applied:04d}"
        )


class MigrationFailedError(MigrationError):
    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"migration {filename} failed and was rolled back: {reason}")


class SeedError(MigrationError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"seeding failed and was rolled back: {reason}")
