"""The services without their observation layers, as the benchmark's baseline.

`sales_app` and `auth_app` are granian factories: the real apps with `observed` (trace span,
request log line and request metrics around the app) replaced by nothing. Never deploy these.
Each worker is a fresh process: the replacement is made before the app module binds the name.
"""

from collections.abc import Collection

from litestar.types import ASGIApp
from opentelemetry.sdk.trace import TracerProvider

from acme_sales.app.sdk.mid import observe
from acme_sales.foundation.logger import Logger


def _bare(
    app: ASGIApp, *, log: Logger, tracer_provider: TracerProvider, quiet_paths: Collection[str]
) -> ASGIApp:
    return app


def sales_app() -> ASGIApp:
    observe.observed = _bare
    from acme_sales.api.services.sales import app  # noqa: PLC0415  (after the swap)

    return app.create_app()


def auth_app() -> ASGIApp:
    observe.observed = _bare
    from acme_sales.api.services.auth import app  # noqa: PLC0415  (after the swap)

    return app.create_app()
