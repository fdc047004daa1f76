"""admin migrate"""

from acme_sales.api.tooling.admin.command import Command, connect
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.sdk import migrate
from acme_sales.foundation.logger import Logger


async def run(cfg: AdminConfig, log: Logger) -> None:
    async with connect(cfg) as conn:
        applied = await migrate.migrate(conn)
    log.info("migrations complete", applied=[m.filename for m in applied])


COMMAND = Command(name="migrate", help="apply the migrations the database lacks", run=run)
