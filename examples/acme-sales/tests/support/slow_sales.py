"""The real sales service plus one slow route, for watching shutdowns, shedding and deadlines.

`python -m tests.support.slow_sales [flags]` runs the real supervisor (config, logging, debug
listener, granian workers). Each worker serves the real sales app with one more route mounted,
`GET /test/slow?seconds=N`, answered "finished" after N seconds (holding one of the service's
database connections meanwhile with `&hold_connection=true`); it passes through every layer a
real route does (the in-flight bound, logging, metrics, the deadline). A request cancelled while
it sleeps logs `slow request cancelled`, so a test can see the work stopped.
"""

import asyncio
import contextlib
import sys
from collections.abc import Sequence
from typing import Any

from litestar import MediaType, get
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, ControllerRouterHandler

from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales import main, routes
from acme_sales.foundation import logger
from acme_sales.foundation.sqldb.database import Database

SLOW_PATH = "/test/slow"
CANCELLED = "slow request cancelled"


def slow_route(db: Database) -> HTTPRouteHandler:
    @get(SLOW_PATH, media_type=MediaType.TEXT)
    async def slow(seconds: float = 2.0, hold_connection: bool = False) -> str:
        try:
            async with db.acquire() if hold_connection else contextlib.nullcontext():
                await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            logger.get_logger().info(CANCELLED, seconds=seconds)
            raise
        return "finished"

    return slow


def create_app() -> ASGIApp:
    real_mount = routes.mount

    def mount(**kwargs: Any) -> Sequence[ControllerRouterHandler]:
        return [*real_mount(**kwargs), slow_route(kwargs["db"])]

    routes.mount = mount
    return sales_app.create_app()


if __name__ == "__main__":
    sys.exit(main.main(app_factory="tests.support.slow_sales:create_app"))
