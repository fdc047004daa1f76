"""admin seed"""

from acme_sales.api.tooling.admin.command import Command, connect
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.sdk import migrate
from acme_sales.foundation.logger import Logger


async def run(cfg: AdminConfig, log: Logger) -> None:
    async with connect(cfg) as conn:
        await migrate.seed(conn)
    log.info("seed data complete")


COMMAND = Command(name="seed", help="load the seed data (safe to repeat)", run=run)
