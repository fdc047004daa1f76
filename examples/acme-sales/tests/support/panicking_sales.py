"""The real sales service plus one route that raises, to watch a panic being counted.

`python -m tests.support.panicking_sales [flags]` runs the real supervisor and workers; each
worker serves the real sales app with `GET /test/panic` mounted beside its routes, inside
Litestar, so the exception goes through the service's own exception handlers.
"""

import sys
from collections.abc import Sequence
from typing import Any

from litestar import get
from litestar.types import ASGIApp, ControllerRouterHandler

from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales import main, routes

PANIC_PATH = "/test/panic"


@get(PANIC_PATH, sync_to_thread=False)
def panic() -> None:
    raise RuntimeError("a bug, on purpose")


def create_app() -> ASGIApp:
    mount = routes.mount

    def mount_with_panic(**kwargs: Any) -> Sequence[ControllerRouterHandler]:
        return [*mount(**kwargs), panic]

    routes.mount = mount_with_panic  # in this worker process only
    return sales_app.create_app()


if __name__ == "__main__":
    sys.exit(main.main(app_factory="tests.support.panicking_sales:create_app"))
