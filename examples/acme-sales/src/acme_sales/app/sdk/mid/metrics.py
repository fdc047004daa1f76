"""Request metrics: count, duration and in-flight requests, by method, route template and status.

Plain ASGI around the Litestar app, like request logging, so requests no route matched (404 and
405 floods are what an operator wants to see) are counted too; Litestar's own Prometheus
middleware runs inside the router and never sees them. The route template is only known once
routing has run: when the response starts, it also names the request's trace span after it.
"""

import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from acme_sales.app.sdk import metrics
from acme_sales.foundation import otel

UNMATCHED = "unmatched"  # the route label of requests that matched no route


class RequestMetrics:
    """ASGI middleware recording every HTTP request in the service's metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        status = 500  # what the client gets if the app dies before answering

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if template := scope.get("path_template"):  # routing has run by now
                    otel.name_server_span(scope["method"], template)
            await send(message)

        metrics.IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_and_note_status)
        except Exception:
            metrics.PANICS.inc()  # escaped every exception handler (a cancellation is no bug)
            raise
        finally:
            metrics.IN_FLIGHT.dec()
            method = scope["method"]
            route = scope.get("path_template") or UNMATCHED  # set by Litestar's router
            metrics.REQUESTS.labels(method, route, str(status)).inc()
            metrics.REQUEST_DURATION.labels(method, route).observe(time.perf_counter() - started)
