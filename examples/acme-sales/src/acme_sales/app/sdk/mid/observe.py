"""The layers every service puts around its Litestar app, outermost first.

trace span (continues the caller's trace) -> request log line (carries the trace id) -> request
metrics (names the span after the route) -> the app. Probes (`quiet_paths`) are neither traced
nor logged, only counted.
"""

from collections.abc import Collection

from litestar.types import ASGIApp
from opentelemetry.sdk.trace import TracerProvider

from acme_sales.app.sdk.mid.logging import RequestLogging
from acme_sales.app.sdk.mid.metrics import RequestMetrics
from acme_sales.foundation import otel
from acme_sales.foundation.logger import Logger


def observed(
    app: ASGIApp, *, log: Logger, tracer_provider: TracerProvider, quiet_paths: Collection[str]
) -> ASGIApp:
    logged = RequestLogging(RequestMetrics(app), log=log, quiet_paths=quiet_paths)
    traced: ASGIApp = otel.server_spans(
        logged, provider=tracer_provider, excluded_paths=quiet_paths
    )
    return traced
