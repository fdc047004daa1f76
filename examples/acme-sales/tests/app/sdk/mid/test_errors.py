"""Every failure is answered with the error model, through the same stack the services use."""

from collections.abc import AsyncIterator

import msgspec
import pytest
from litestar import get, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.app.sdk import errs
from acme_sales.app.sdk.mid.errors import exception_handlers
from acme_sales.app.sdk.mid.logging import RequestLogging
from acme_sales.foundation import logger, web
from tests.support.logs import CapturedLogs


class NewThing(msgspec.Struct):
    name: str
    quantity: int


@get("/things/missing", sync_to_thread=False)
def missing_thing() -> None:
    raise errs.Error(errs.ErrCode.NOT_FOUND, "thing not found")


@get("/things/conflict", sync_to_thread=False)
def conflicting_thing() -> None:
    raise errs.Error(errs.ErrCode.ABORTED, "name is not unique")


@get("/things/internal", sync_to_thread=False)
def internal_error() -> None:
    raise errs.Error(errs.ErrCode.INTERNAL, "query: relation things has password column")


@get("/things/bug", sync_to_thread=False)
def bug() -> None:
    raise ZeroDivisionError("secret internals")


@post("/things", sync_to_thread=False)
def create_thing(data: JSONBody[NewThing]) -> NewThing:
    return data


@pytest.fixture
def logs() -> CapturedLogs:
    return CapturedLogs()


@pytest.fixture
async def client(logs: CapturedLogs) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    log = logger.get_logger()
    app = web.new_app(
        title="test",
        version="0",
        route_handlers=[missing_thing, conflicting_thing, internal_error, bug, create_thing],
        exception_handlers=exception_handlers(log),
    )
    wrapped: ASGIApp = RequestLogging(app, log=log)
    async with AsyncTestClient(app=wrapped) as client:
        yield client


async def test_app_error_is_answered_with_its_code_and_status(
    client: AsyncTestClient[ASGIApp],
) -> None:
    response = await client.get("/things/missing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "thing not found"}

    response = await client.get("/things/conflict")
    assert response.status_code == 409
    assert response.json() == {"code": "aborted", "message": "name is not unique"}


async def test_internal_error_message_is_masked_but_logged(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    response = await client.get("/things/internal")
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    [failure] = logs.events("request failed")
    assert failure["message"] == "query: relation things has password column"


async def test_unexpected_exception_is_masked_500_with_traceback_logged(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    response = await client.get("/things/bug")
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    assert "secret internals" not in response.text
    [failure] = logs.events("request failed")
    assert failure["level"] == "error"
    assert "Traceback" in failure["exception"]
    assert "ZeroDivisionError: secret internals" in failure["exception"]


async def test_validation_failure_names_each_field(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.post("/things", json={"name": "bolt", "quantity": "many"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_argument"
    assert body["fields"] == [{"field": "quantity", "error": "Expected `int`, got `str`"}]
    assert "quantity" in body["message"]


async def test_missing_field_is_named(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.post("/things", json={"name": "bolt"})
    assert response.status_code == 400
    assert response.json()["fields"] == [
        {"field": "quantity", "error": "Object missing required field `quantity`"}
    ]


async def test_malformed_json_is_a_400(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.post(
        "/things", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_argument"


async def test_unknown_route_is_404_in_the_error_model(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "not found"}


async def test_wrong_method_is_405_with_allow_header(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.delete("/things/missing")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]


async def test_every_response_carries_hsts(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.get("/things/missing")
    assert response.headers["strict-transport-security"].startswith("max-age=63072000")
