"""The overload layers in process, with scripted ASGI channels: what the real-process tests
(tests/api/services/sales/test_overload.py) cannot arrange, such as a disconnect at a chosen
moment or a body in parts."""

import asyncio
from datetime import timedelta
from typing import cast

import pytest
from litestar.types import Message, Receive, ReceiveMessage, Scope, Send

from acme_sales.foundation import logger
from acme_sales.foundation.shedding import CLIENT_CLOSED, Bounded, Deadline

SCOPE = cast("Scope", {"type": "http", "method": "POST", "path": "/v1/things"})
PROBE = cast("Scope", {"type": "http", "method": "GET", "path": "/v1/readiness"})
NO_DEADLINE = timedelta(0)


class Client:
    """The server's side of one request: queued messages to receive, the messages sent."""

    def __init__(self, *messages: ReceiveMessage) -> None:
        self.incoming: asyncio.Queue[ReceiveMessage] = asyncio.Queue()
        for message in messages:
            self.incoming.put_nowait(message)
        self.sent: list[Message] = []

    async def receive(self) -> ReceiveMessage:
        return await self.incoming.get()

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    def disconnect(self) -> None:
        self.incoming.put_nowait({"type": "http.disconnect"})

    @property
    def status(self) -> int | None:
        starts = [m["status"] for m in self.sent if m["type"] == "http.response.start"]
        return starts[0] if starts else None


def body(data: bytes, *, more: bool = False) -> ReceiveMessage:
    return {"type": "http.request", "body": data, "more_body": more}


async def answer(send: Send, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"ok", "more_body": False})


async def test_the_app_reads_a_body_in_parts_in_order() -> None:
    parts: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            parts.append(message.get("body", b""))  # type: ignore[arg-type]
            if not message.get("more_body"):
                break
        await answer(send)

    client = Client(body(b"a", more=True), body(b"b", more=True), body(b"c"))
    await Deadline(app, deadline=NO_DEADLINE)(SCOPE, client.receive, client.send)
    assert parts == [b"a", b"b", b"c"]
    assert client.status == 200


async def test_a_disconnect_cancels_a_handler_that_never_reads_the_body() -> None:
    cancelled = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    client = Client(body(b""))
    request = asyncio.create_task(
        Deadline(app, deadline=NO_DEADLINE)(SCOPE, client.receive, client.send)
    )
    await asyncio.sleep(0)
    client.disconnect()
    await request  # ends normally: the cut is the layer's, not the server's
    assert cancelled.is_set()
    assert client.status == CLIENT_CLOSED


async def test_the_app_asking_for_a_disconnect_gets_it_after_the_body() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((await receive())["type"])
        await answer(send)  # complete: a disconnect now cancels nothing
        seen.append((await receive())["type"])

    client = Client(body(b"x"))
    request = asyncio.create_task(
        Deadline(app, deadline=NO_DEADLINE)(SCOPE, client.receive, client.send)
    )
    await asyncio.sleep(0.01)
    client.disconnect()
    await request
    assert seen == ["http.request", "http.disconnect"]
    assert client.status == 200


async def test_the_apps_own_timeout_is_not_taken_for_the_deadline() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise TimeoutError

    client = Client(body(b""))
    with pytest.raises(TimeoutError):
        await Deadline(app, deadline=timedelta(seconds=60))(SCOPE, client.receive, client.send)


async def test_the_bound_counts_requests_until_they_end() -> None:
    release = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await release.wait()
        await answer(send)

    bounded = Bounded(app, max_in_flight=1, exempt_paths=["/v1/readiness"], log=logger.get_logger())
    first, second, probe = Client(), Client(), Client()
    held = asyncio.create_task(bounded(SCOPE, first.receive, first.send))
    await asyncio.sleep(0)
    await bounded(SCOPE, second.receive, second.send)
    probing = asyncio.create_task(bounded(PROBE, probe.receive, probe.send))
    release.set()
    await asyncio.gather(held, probing)

    assert (first.status, second.status, probe.status) == (200, 503, 200)
    assert bounded.in_flight == 0
