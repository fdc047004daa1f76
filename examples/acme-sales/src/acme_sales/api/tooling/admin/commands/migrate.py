"""admin migrate"""

from acme_sales.api.tooling.admin.command import Command, connect
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.sdk import migrate
from acme_sales.foundation.logger import Logger


async def run(cfg: AdminConfig, log: Logger) -> None:
    async with connect(cfg) as conn:
        report(await migrate.migrate(conn), log)


def report(run: migrate.MigrationRun, log: Logger) -> None:
    """Log what a migration run did, and each retired domain (a warning, not a failure)."""
    for retired in run.retired:
        log.warning(
            "domain retired: its migration file is gone, its tables were left in place",
            migration=retired.name,
        )
    log.info(
        "migrations complete",
        applied=[m.filename for m in run.applied],
        retired=[r.name for r in run.retired],
    )


COMMAND = Command(name="migrate", help="apply the migrations the database lacks", run=run)
