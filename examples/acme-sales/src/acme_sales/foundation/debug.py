"""The debug listener: a small HTTP server on its own port, for operators and probes only.

It runs in the supervisor process (not in the request-serving workers), on two background
threads: one accepts connections (the standard library's threaded HTTP server), the other runs an
asyncio loop on which the route handlers, which are coroutines, execute. It answers GET only.
"""

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True, slots=True)
class DebugResponse:
    status: int
    body: bytes
    content_type: str = "application/json"


DebugRoute = Callable[[], Awaitable[DebugResponse]]
LoopHook = Callable[[], Awaitable[None]]

_NOT_FOUND = DebugResponse(404, b'{"code":"not_found","message":"no such debug route"}')
_TIMEOUT = DebugResponse(504, b'{"code":"deadline_exceeded","message":"debug route timed out"}')
_FAILED = DebugResponse(500, b'{"code":"internal","message":"debug route failed"}')

_log = logging.getLogger(__name__)


class DebugServer:
    """Serve `routes` (path -> coroutine function) on host:port until `stop()`."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        routes: Mapping[str, DebugRoute],
        on_start: LoopHook | None = None,
        on_stop: LoopHook | None = None,
        route_timeout: float = 5.0,
    ) -> None:
        self._routes = dict(routes)
        self._on_start = on_start
        self._on_stop = on_stop
        self._route_timeout = route_timeout
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(
            target=self._loop.run_forever, name="debug-loop", daemon=True
        )
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._http_thread = threading.Thread(
            target=self._httpd.serve_forever, name="debug-http", daemon=True
        )

    @property
    def port(self) -> int:
        """The bound port (useful when asked for port 0)."""
        return int(self._httpd.server_address[1])

    def start(self) -> None:
        self._loop_thread.start()
        if self._on_start is not None:
            self._run_on_loop(self._on_start()).result()
        self._http_thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._http_thread.join(timeout)
        if self._on_stop is not None:
            self._run_on_loop(self._on_stop()).result(timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop_thread.join(timeout)
        self._loop.close()

    def _run_on_loop(self, coro: Awaitable[Any]) -> "Future[Any]":
        async def run() -> Any:
            return await coro

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def _answer(self, path: str) -> DebugResponse:
        route = self._routes.get(path.split("?", 1)[0])
        if route is None:
            return _NOT_FOUND
        try:
            response: DebugResponse = self._run_on_loop(route()).result(self._route_timeout)
        except TimeoutError:
            return _TIMEOUT
        except Exception:  # noqa: BLE001  (a broken route is answered 500 and logged)
            _log.exception("debug route failed", extra={"path": path})
            return _FAILED
        return response

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "debug"

            def do_GET(self) -> None:
                response = server._answer(self.path)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Probes hit this every few seconds: no access log."""

        return Handler
