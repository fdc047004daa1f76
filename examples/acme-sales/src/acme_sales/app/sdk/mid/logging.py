"""Request logging: one line per request with method, path, status and duration.

It is plain ASGI around the Litestar app, so it also sees requests no route matched. It runs
inside the request's trace span: every line logged while the request runs carries the span's
trace id (the caller's, when it sent a W3C `traceparent`), and the response tells the client that
id in `X-Trace-Id`, so a failure can be reported with it. Query values are not logged, only the
parameter names: a filter may carry an email address or another person's data.
"""

import time
import uuid
from collections.abc import Collection
from urllib.parse import parse_qsl

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from acme_sales.foundation import otel
from acme_sales.foundation.logger import Logger, bind_request_context

TRACE_ID_HEADER = "X-Trace-Id"


class RequestLogging:
    """ASGI middleware logging every HTTP request except those on `quiet_paths`."""

    def __init__(self, app: ASGIApp, *, log: Logger, quiet_paths: Collection[str] = ()) -> None:
        self.app = app
        self.log = log
        self.quiet_paths = frozenset(quiet_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"] in self.quiet_paths:
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        status = 500  # what the client gets if the app dies before answering

        request_trace_id = otel.current_trace_id() or uuid.uuid4().hex  # tracing disabled: made up

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)[TRACE_ID_HEADER] = request_trace_id
            await send(message)

        with bind_request_context(trace_id=request_trace_id):
            try:
                await self.app(scope, receive, send_and_note_status)
            finally:
                client = scope.get("client")
                self.log.info(
                    "request completed",
                    method=scope["method"],
                    path=scope["path"],
                    query_params=query_names(scope["query_string"]),
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    remote=f"{client[0]}:{client[1]}" if client else "",
                )


def query_names(query_string: bytes) -> list[str]:
    """The names of the query parameters, without their values."""
    return sorted({name for name, _ in parse_qsl(query_string.decode("latin-1"))})
