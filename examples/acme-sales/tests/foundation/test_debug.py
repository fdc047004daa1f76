"""The debug listener serves its coroutine routes over real HTTP from background threads."""

import asyncio
import http.client
from collections.abc import Iterator

import pytest

from acme_sales.foundation.debug import DebugResponse, DebugServer


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def server() -> Iterator[DebugServer]:
    async def hello() -> DebugResponse:
        await asyncio.sleep(0)  # runs on the listener's own loop
        return DebugResponse(200, b'{"hello":"world"}')

    async def slow() -> DebugResponse:
        await asyncio.sleep(10)
        return DebugResponse(200, b"{}")

    async def broken() -> DebugResponse:
        raise RuntimeError("a bug in a debug route")

    server = DebugServer(
        host="127.0.0.1",
        port=0,
        routes={"/hello": hello, "/slow": slow, "/broken": broken},
        route_timeout=0.2,
    )
    server.start()
    yield server
    server.stop()


async def test_route_answers_over_http(server: DebugServer) -> None:
    assert await asyncio.to_thread(get, server.port, "/hello?x=1") == (200, b'{"hello":"world"}')


async def test_unknown_route_is_404(server: DebugServer) -> None:
    status, body = await asyncio.to_thread(get, server.port, "/nope")
    assert status == 404
    assert b"not_found" in body


async def test_slow_route_times_out_with_504(server: DebugServer) -> None:
    status, _ = await asyncio.to_thread(get, server.port, "/slow")
    assert status == 504


async def test_a_failing_route_is_answered_500_and_the_listener_carries_on(
    server: DebugServer,
) -> None:
    status, body = await asyncio.to_thread(get, server.port, "/broken")
    assert (status, body) == (500, b'{"code":"internal","message":"debug route failed"}')
    assert (await asyncio.to_thread(get, server.port, "/hello"))[0] == 200


def test_hooks_run_at_start_and_stop() -> None:
    recorded: list[str] = []

    async def start() -> None:
        recorded.append("start")

    async def stop() -> None:
        recorded.append("stop")

    server = DebugServer(host="127.0.0.1", port=0, routes={}, on_start=start, on_stop=stop)
    server.start()
    assert recorded == ["start"]
    server.stop()
    assert recorded == ["start", "stop"]


def test_stopped_server_refuses_connections() -> None:
    server = DebugServer(host="127.0.0.1", port=0, routes={})
    server.start()
    port = server.port
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        get(port, "/")
