"""Request logging: one line per request with method, path, status and duration.

It is the outermost layer of a service (plain ASGI around the Litestar app), so it also sees
requests no route matched. Each request gets a trace id, taken from an incoming W3C
`traceparent` header or made up, and every line logged while the request runs carries it.
"""

import re
import time
import uuid
from collections.abc import Collection

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from acme_sales.foundation.logger import Logger, bind_request_context

_TRACEPARENT = re.compile(rb"^[0-9a-f]{2}-(?P<trace_id>[0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


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

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with bind_request_context(trace_id=trace_id(scope)):
            try:
                await self.app(scope, receive, send_and_note_status)
            finally:
                client = scope.get("client")
                self.log.info(
                    "request completed",
                    method=scope["method"],
                    path=scope["path"],
                    query=scope["query_string"].decode("latin-1"),
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    remote=f"{client[0]}:{client[1]}" if client else "",
                )


def trace_id(scope: Scope) -> str:
    """The caller's W3C trace id when it sent one, else a fresh random id."""
    for name, value in scope["headers"]:
        if name == b"traceparent":
            match = _TRACEPARENT.match(value.strip())
            if match:
                return match["trace_id"].decode()
    return uuid.uuid4().hex
