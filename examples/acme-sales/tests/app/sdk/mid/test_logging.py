"""One log line per request, with the trace id on every line logged while it runs."""

from collections.abc import AsyncIterator

import pytest
from litestar import get
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.app.sdk.mid.errors import exception_handlers
from acme_sales.app.sdk.mid.logging import TRACE_ID_HEADER, RequestLogging
from acme_sales.foundation import logger, otel, web
from tests.support.logs import CapturedLogs

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@get("/work", sync_to_thread=False)
def work() -> dict[str, str]:
    logger.get_logger().info("working")
    return {"done": "yes"}


@get("/quiet", sync_to_thread=False)
def quiet() -> dict[str, str]:
    return {"quiet": "yes"}


@pytest.fixture
def logs() -> CapturedLogs:
    return CapturedLogs(service="sales")


@pytest.fixture
async def client(logs: CapturedLogs) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    log = logger.get_logger()
    app = web.new_app(
        title="test",
        version="0",
        route_handlers=[work, quiet],
        exception_handlers=exception_handlers(log),
    )
    # As in the services: inside the trace span (tracing off: context only, nothing recorded).
    provider = otel.start(
        otel.Tracing(endpoint="", protocol="grpc", sample_ratio=None),
        service="sales",
        version="0",
        environ={},
    )
    wrapped: ASGIApp = otel.server_spans(
        RequestLogging(app, log=log, quiet_paths={"/quiet"}),
        provider=provider,
        excluded_paths=["/quiet"],
    )
    async with AsyncTestClient(app=wrapped) as client:
        yield client


async def test_request_is_logged_once_with_method_path_status_and_duration(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    await client.get("/work?page=2&email=someone%40example.com&page=3")
    [line] = logs.events("request completed")
    assert line["method"] == "GET"
    assert line["path"] == "/work"
    assert line["query_params"] == ["email", "page"]
    assert "someone" not in str(line)  # names only: a filter's value may be personal data
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["service"] == "sales"
    assert line["level"] == "info"


async def test_lines_logged_during_a_request_share_its_trace_id(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    await client.get("/work")
    [working] = logs.events("working")
    [completed] = logs.events("request completed")
    assert len(working["trace_id"]) == 32
    assert working["trace_id"] == completed["trace_id"]


async def test_incoming_traceparent_sets_the_trace_id(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    response = await client.get(
        "/work", headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}
    )
    [completed] = logs.events("request completed")
    assert completed["trace_id"] == TRACE_ID
    assert response.headers[TRACE_ID_HEADER] == TRACE_ID


async def test_response_tells_the_trace_id_of_a_new_trace(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    first = await client.get("/work")
    second = await client.get("/nowhere")
    [ok, missing] = logs.events("request completed")
    assert first.headers[TRACE_ID_HEADER] == ok["trace_id"]
    assert second.headers[TRACE_ID_HEADER] == missing["trace_id"]
    assert ok["trace_id"] != missing["trace_id"]


async def test_trace_id_does_not_leak_past_the_request(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    await client.get("/work")
    logger.get_logger().info("after")
    [after] = logs.events("after")
    assert "trace_id" not in after


async def test_unknown_routes_are_logged_with_their_status(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    await client.get("/nowhere")
    [line] = logs.events("request completed")
    assert (line["path"], line["status"]) == ("/nowhere", 404)


async def test_quiet_paths_are_not_logged(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    response = await client.get("/quiet")
    assert response.status_code == 200
    assert logs.events("request completed") == []
