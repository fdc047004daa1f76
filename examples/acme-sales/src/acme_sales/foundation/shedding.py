"""Overload protection for one worker process: a bound on requests in flight, a deadline per
request, and no work for a client that has gone. Two plain ASGI layers:

- `Bounded`, outermost: beyond `max_in_flight` requests a request is answered 503 with
  `Retry-After` at once, before anything else runs: a refusal costs a small fraction of a
  request, and the accepted requests keep a bounded latency (see `make bench-shed`). Clients
  that retry at once, ignoring `Retry-After`, still take CPU from the accepted ones.
  Neither granian nor Litestar refuses beyond a bound: granian's `backpressure` (requests per
  worker, default backlog/workers) makes the excess *wait* (with a bound of 2, a third 2-second
  request is answered 200 after 4 s), unseen by metrics and for as long as the client cares to
  wait; nobody learns to go elsewhere, and the latency of every request grows with the queue.
- `Deadline`, innermost (inside logging and metrics, which see its answers): a request running
  past `deadline` is cancelled and answered 504 `deadline_exceeded`; a request whose client
  disconnects before its response is complete is cancelled and noted 499 `canceled`.

504 rather than 503 for the deadline: 503 means the work never started and a retry is safe, as
for shedding and draining; past a deadline the work was cut midway (its transaction rolled back,
but calls to other services may have happened), which is what a gateway timeout says.

Foundation code cannot reach app/sdk/errs: the bodies are written here in its error model.
"""

import asyncio
from collections.abc import Collection
from datetime import timedelta

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from prometheus_client import Counter

from acme_sales.foundation.logger import Logger

SHED = Counter("http_requests_shed", "Requests refused at once (503) beyond the in-flight bound.")
CUT = Counter(
    "http_requests_cut",
    "Requests cancelled midway: past their deadline, or their client gone.",
    ["reason"],
)
# Every reason exported from the start, at 0: a rate over a series that appears only with the
# first cut would miss that cut (and a dashboard panel would show no data, not zero).
for _reason in ("deadline", "client_gone"):
    CUT.labels(_reason)

RETRY_AFTER = b"1"  # seconds: a bound is passed for a moment; the client may try again soon
CLIENT_CLOSED = 499  # nginx's status for a client that left: no client reads it, metrics do

_SHED_BODY = b'{"code":"unavailable","message":"overloaded: too many requests in flight"}'
_DEADLINE_BODY = b'{"code":"deadline_exceeded","message":"the request ran past its deadline"}'
_GONE_BODY = b'{"code":"canceled","message":"the client closed the request"}'
_DISCONNECT: ReceiveMessage = {"type": "http.disconnect"}


class Bounded:
    """Refuse HTTP requests beyond `max_in_flight` (0: no bound), except `exempt_paths` (probes)."""

    def __init__(
        self, app: ASGIApp, *, max_in_flight: int, exempt_paths: Collection[str], log: Logger
    ) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.exempt_paths = frozenset(exempt_paths)
        self.log = log
        self.in_flight = 0
        self.shedding = False  # a line when shedding starts and one when it stops, not per request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != ScopeType.HTTP
            or not self.max_in_flight
            or scope["path"] in self.exempt_paths
        ):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            SHED.inc()
            if not self.shedding:
                self.shedding = True
                self.log.warning("shedding load", max_in_flight=self.max_in_flight)
            await _answer(send, 503, _SHED_BODY, (b"retry-after", RETRY_AFTER))
            return
        if self.shedding:
            self.shedding = False
            self.log.info("shedding stopped", max_in_flight=self.max_in_flight)
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class Deadline:
    """Cancel an HTTP request past `deadline` (0: none) or once its client has disconnected."""

    def __init__(self, app: ASGIApp, *, deadline: timedelta) -> None:
        self.app = app
        self.seconds = deadline.total_seconds() or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request = _Request(receive, send)
        try:
            async with asyncio.timeout(self.seconds) as timer:
                request.watch(timer)
                await self.app(scope, request.receive, request.send)
        except TimeoutError:
            if not timer.expired():
                raise  # the app's own TimeoutError, not this deadline
            await self._cut(request)
        finally:
            request.stop_watching()

    async def _cut(self, request: "_Request") -> None:
        reason = "client_gone" if request.gone else "deadline"
        CUT.labels(reason).inc()
        if request.started:
            return  # half a response was sent: ending it short is all that is left
        if request.gone:
            await _answer(request.send, CLIENT_CLOSED, _GONE_BODY)
        else:
            await _answer(request.send, 504, _DEADLINE_BODY)


class _Request:
    """One request's receive channel, read by a watcher so a disconnect is seen while the app
    works (even when it never reads the body, as GET handlers do).

    The watcher is the only reader of the server's `receive`: the app's calls are served from a
    one-message queue, so the app sees every message in order, a body is read at most one chunk
    ahead of the app, and a disconnect reaches both the app (if it asks) and the watcher, which
    ends the request by expiring its timer at once.
    """

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self._queue: asyncio.Queue[ReceiveMessage] = asyncio.Queue(maxsize=1)
        self._watcher: asyncio.Task[None] | None = None
        self.started = False  # the response's head was sent
        self.complete = False  # ... and its last body part
        self.gone = False

    def watch(self, timer: asyncio.Timeout) -> None:
        self._watcher = asyncio.create_task(self._watch(timer))

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    async def receive(self) -> ReceiveMessage:
        if self.gone and self._queue.empty():
            return _DISCONNECT
        return await self._queue.get()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete = True
        await self._send(message)

    async def _watch(self, timer: asyncio.Timeout) -> None:
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                # After a complete response the work left (background tasks) is not the
                # client's: let it run.
                if not self.complete:
                    self.gone = True
                    timer.reschedule(asyncio.get_running_loop().time())
                if not self._queue.full():
                    self._queue.put_nowait(message)
                return
            await self._queue.put(message)


async def _answer(send: Send, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
