"""The real sales service plus one route that raises, to watch a panic being counted.

`python -m tests.support.panicking_sales [flags]` runs the real supervisor and workers; each
worker serves the real sales app with `GET /test/panic` mounted beside its routes, inside
Litestar, so the exception goes through the service's own exception handlers.
"""

import sys
from collections.abc import Sequence

from litestar import get
from litestar.types import ASGIApp, ControllerRouterHandler

from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales import main, routes
from acme_sales.api.services.sales.buses import Buses
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb.database import Database

PANIC_PATH = "/test/panic"


@get(PANIC_PATH, sync_to_thread=False)
def panic() -> None:
    raise RuntimeError("a bug, on purpose")


def create_app() -> ASGIApp:
    mount = routes.mount

    def mount_with_panic(
        *, build: str, db: Database, auth: AuthClient, buses: Buses, log: Logger
    ) -> Sequence[ControllerRouterHandler]:
        return [*mount(build=build, db=db, auth=auth, buses=buses, log=log), panic]

    routes.mount = mount_with_panic  # in this worker process only
    return sales_app.create_app()


if __name__ == "__main__":
    sys.exit(main.main(app_factory="tests.support.panicking_sales:create_app"))
