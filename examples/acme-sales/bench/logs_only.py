"""The services with their request log line only, as the benchmark's baseline.

`sales_app` and `auth_app` are granian factories: the real apps with `observed` (trace span,
request log line, request metrics) replaced by the request log line alone, as the services were
before metrics and tracing. Never deploy these. Each worker is a fresh process: the replacement
is made before the app module binds the name.
"""

from collections.abc import Collection

from litestar.types import ASGIApp
from opentelemetry.sdk.trace import TracerProvider

from acme_sales.app.sdk.mid import observe
from acme_sales.app.sdk.mid.logging import RequestLogging
from acme_sales.foundation.logger import Logger


def _logged_only(
    app: ASGIApp, *, log: Logger, tracer_provider: TracerProvider, quiet_paths: Collection[str]
) -> ASGIApp:
    return RequestLogging(app, log=log, quiet_paths=quiet_paths)


def sales_app() -> ASGIApp:
    observe.observed = _logged_only
    from acme_sales.api.services.sales import app  # noqa: PLC0415  (after the swap)

    return app.create_app()


def auth_app() -> ASGIApp:
    observe.observed = _logged_only
    from acme_sales.api.services.auth import app  # noqa: PLC0415  (after the swap)

    return app.create_app()
