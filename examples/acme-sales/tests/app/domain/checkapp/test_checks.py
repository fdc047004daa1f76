"""Liveness and readiness through the real sales app, against a real Postgres."""

import dataclasses
import os
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.sales.app import build_app
from acme_sales.api.services.sales.config import AuthClientConfig, SalesConfig
from acme_sales.foundation import logger, sqldb
from tests.support.logs import CapturedLogs
from tests.support.tcp_proxy import TCPProxy


@pytest.fixture
def logs() -> CapturedLogs:
    return CapturedLogs(service="sales")


@pytest.fixture
async def client(
    db_config: sqldb.DBConfig, proxy: TCPProxy, logs: CapturedLogs
) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    cfg = SalesConfig(
        build="test-build",
        db=dataclasses.replace(db_config, host="127.0.0.1", port=proxy.port),
        # Remote: nothing but the checks' own queries goes to the database the test cuts.
        auth=AuthClientConfig(mode="remote"),
    )
    # The checks never call the auth service: a client that reaches nothing is enough.
    async with (
        httpx.AsyncClient(base_url="http://127.0.0.1:9", timeout=0.1) as auth_http,
        AsyncTestClient(app=build_app(cfg, log=logger.get_logger(), auth_http=auth_http)) as client,
    ):
        yield client


async def test_liveness_reports_build_host_and_cpu(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.get("/v1/liveness")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert body["build"] == "test-build"
    assert body["pid"] == os.getpid()
    assert body["host"]
    assert body["cpu"]["machine"] >= body["cpu"]["schedulable"] >= 1
    assert body["cpu"]["usable"] >= 1


async def test_liveness_reports_kubernetes_details_when_present(
    client: AsyncTestClient[ASGIApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBERNETES_NAMESPACE", "sales-system")
    monkeypatch.setenv("KUBERNETES_POD_IP", "10.0.0.7")
    body = (await client.get("/v1/liveness")).json()
    assert (body["namespace"], body["podIP"]) == ("sales-system", "10.0.0.7")


async def test_readiness_is_200_while_postgres_answers(client: AsyncTestClient[ASGIApp]) -> None:
    response = await client.get("/v1/readiness")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_is_503_while_postgres_is_away_and_recovers_without_restart(
    client: AsyncTestClient[ASGIApp], proxy: TCPProxy, logs: CapturedLogs
) -> None:
    assert (await client.get("/v1/readiness")).status_code == 200

    proxy.cut()
    down = await client.get("/v1/readiness")
    assert down.status_code == 503
    assert down.json() == {"code": "unavailable", "message": "not ready: database unavailable"}
    assert logs.events("readiness failure"), "the reason for not being ready is logged"

    proxy.restore()
    back = await client.get("/v1/readiness")
    assert back.status_code == 200


async def test_checks_are_not_request_logged(
    client: AsyncTestClient[ASGIApp], logs: CapturedLogs
) -> None:
    await client.get("/v1/liveness")
    await client.get("/v1/readiness")
    assert logs.events("request completed") == []
