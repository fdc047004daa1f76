"""admin migrate-seed"""

from acme_sales.api.tooling.admin.command import Command, connect
from acme_sales.api.tooling.admin.commands.migrate import report
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.sdk import migrate
from acme_sales.foundation.logger import Logger


async def run(cfg: AdminConfig, log: Logger) -> None:
    async with connect(cfg) as conn:
        report(await migrate.migrate(conn), log)
        await migrate.seed(conn)
    log.info("seed data complete")


COMMAND = Command(
    name="migrate-seed", help="apply the migrations, then load the seed data", run=run
)
